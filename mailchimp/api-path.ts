/** Builds a path with every interpolated id URI-encoded: apiPath`/ecommerce/stores/${id}`. */
export function apiPath(strings: TemplateStringsArray, ...ids: readonly string[]): string {
  return strings.reduce((out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i]) : ''), '');
}
