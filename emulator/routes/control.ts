import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { buildBatchArchive } from '../batch-archive';
import { configPatchSchema } from '../config';
import type { EmulatorCore } from '../core';
import { renderPage } from '../page';
import { ApiError, badRequest, invalidResource, jsonParseError, notFound } from '../problem';
import { WEBHOOK_SOURCES, type WebhookSource } from '../state';
import { memberKey } from '../util';

/** Routes under /_emulator that tests and operators use to inspect and steer the emulator (no auth). */
export function registerControlRoutes(app: FastifyInstance, core: EmulatorCore): void {
  const parse = (raw: unknown): Record<string, unknown> => {
    if (typeof raw !== 'string' || raw.trim() === '') return {};
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw jsonParseError();
      return value as Record<string, unknown>;
    } catch {
      throw jsonParseError();
    }
  };
  const json = (reply: FastifyReply, body: unknown) => reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
  const check = <S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> => {
    const result = schema.safeParse(body);
    if (!result.success) throw invalidResource(result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
    return result.data as z.output<S>;
  };

  app.get('/', async (_request, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(renderPage(core.state)));

  app.get('/_emulator/health', async (_request, reply) => json(reply, { status: 'ok' }));

  app.post('/_emulator/reset', async (request, reply) => {
    const body = check(z.object({ config: z.boolean().optional() }), parse(request.body));
    core.reset({ config: body.config });
    return json(reply, { status: 'reset', config: core.config() });
  });

  app.get('/_emulator/stats', async (_request, reply) =>
    json(reply, core.stats.snapshot({ batchOperations: core.batches.operationsExecuted, webhookDeliveries: { ...core.webhooks.stats } })),
  );
  app.post('/_emulator/stats/reset', async (_request, reply) => {
    core.stats.reset();
    return json(reply, { status: 'reset' });
  });

  app.get('/_emulator/state', async (_request, reply) => json(reply, core.state.toSnapshot()));

  app.get<{ Querystring: { path?: string } }>('/_emulator/requests', async (request, reply) => json(reply, { requests: core.stats.requestLog(request.query.path ?? '') }));

  // Campaigns exist only as ids (a cart's campaign_id must name one): made and deleted here.
  app.post('/_emulator/campaigns', async (request, reply) => {
    const body = check(z.object({ id: z.string().min(1), title: z.string().optional() }).strict(), parse(request.body));
    const campaign = { id: body.id, title: body.title ?? body.id, create_time: new Date().toISOString() };
    core.state.campaigns.set(body.id, campaign);
    core.onChange();
    return json(reply, campaign);
  });
  app.delete<{ Params: { id: string } }>('/_emulator/campaigns/:id', async (request, reply) => {
    if (!core.state.campaigns.delete(request.params.id)) throw notFound();
    core.onChange();
    return reply.code(204).send();
  });

  app.get('/_emulator/config', async (_request, reply) => json(reply, core.config()));
  app.post('/_emulator/config', async (request, reply) => json(reply, core.updateConfig(check(configPatchSchema, parse(request.body)))));

  app.post<{ Params: { list_id: string } }>('/_emulator/lists/:list_id/settings', async (request, reply) => {
    const list = core.audience.list(request.params.list_id);
    const body = check(z.object({ double_optin: z.boolean().optional(), name: z.string().optional() }).strict(), parse(request.body));
    if (body.double_optin !== undefined) list.double_optin = body.double_optin;
    if (body.name !== undefined) list.name = body.name;
    core.onChange();
    return json(reply, { id: list.id, name: list.name, double_optin: list.double_optin });
  });

  type MemberParams = { Params: { list_id: string; hash: string } };
  const sourceOf = (body: Record<string, unknown>): WebhookSource => {
    const source = body.source ?? 'user';
    if (!(WEBHOOK_SOURCES as readonly unknown[]).includes(source)) throw invalidResource([{ field: 'source', message: `must be one of ${WEBHOOK_SOURCES.join(', ')}` }]);
    return source as WebhookSource;
  };
  const memberAction = (
    action: string,
    run: (ctx: { body: Record<string, unknown>; source: WebhookSource; list: ReturnType<EmulatorCore['audience']['list']>; member: ReturnType<EmulatorCore['audience']['member']> }) => void,
  ) => {
    app.post<MemberParams>(`/_emulator/lists/:list_id/members/:hash/${action}`, async (request, reply) => {
      const list = core.audience.list(request.params.list_id);
      const member = core.audience.member(list, memberKey(request.params.hash));
      const body = parse(request.body);
      run({ body, source: sourceOf(body), list, member });
      core.onChange();
      return json(reply, { id: member.id, email_address: member.email_address, status: member.status, merge_fields: member.merge_fields });
    });
  };

  /** The contact clicks the double opt-in link. */
  memberAction('confirm', ({ source, list, member }) => {
    if (member.status !== 'pending') throw badRequest(`${member.email_address} is ${member.status}, not pending.`);
    core.audience.setStatus(list, member, 'subscribed', source);
  });
  /** The contact unsubscribes (e.g. from a campaign footer). */
  memberAction('unsubscribe', ({ body, source, list, member }) => {
    core.audience.setStatus(list, member, 'unsubscribed', source, typeof body.reason === 'string' ? body.reason : 'manual');
  });
  /** The address bounces. */
  memberAction('clean', ({ body, source, list, member }) => {
    core.audience.setStatus(list, member, 'cleaned', source, typeof body.reason === 'string' ? body.reason : 'hard');
  });
  /** The contact changes their address. */
  memberAction('change-email', ({ body, source, list, member }) => {
    const { new_email: newEmail } = check(z.object({ new_email: z.string().email() }).passthrough(), body);
    if (list.members.has(memberKey(newEmail))) throw new ApiError(400, 'Member Exists', `${newEmail} is already a list member.`);
    core.audience.changeEmail(list, member, newEmail, source);
  });
  /** Mailchimp puts the member in compliance state (e.g. after a compliance review): the API can no longer subscribe it. */
  memberAction('compliance', ({ member }) => {
    member.compliance = true;
  });
  /** The member is permanently deleted (GDPR "forget"): gone, and the API can never add the address again. */
  memberAction('forget', ({ list, member }) => {
    core.audience.forget(list, member);
  });
  /** The contact edits their profile. */
  memberAction('profile', ({ body, source, list, member }) => {
    const { merge_fields: mergeFields } = check(z.object({ merge_fields: z.record(z.string(), z.union([z.string(), z.number()])) }).passthrough(), body);
    core.audience.update(list, member, { merge_fields: mergeFields }, source);
  });

  app.get<{ Params: { file: string } }>('/_emulator/batch-results/:file', async (request, reply) => {
    const match = /^(.+)\.tar\.gz$/.exec(request.params.file);
    const batch = match ? core.state.batches.get(match[1]) : undefined;
    if (!batch || batch.status !== 'finished') throw notFound();
    const archive = await buildBatchArchive(batch);
    return reply.header('content-type', 'application/gzip').send(archive);
  });

  /** Waits until every queued webhook delivery has been attempted. */
  app.post('/_emulator/webhooks/flush', async (_request, reply) => {
    await core.webhooks.idle();
    return json(reply, { ...core.webhooks.stats });
  });
}
