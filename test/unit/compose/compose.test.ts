import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { VARIABLES } from '../../../config/variables';
import { SEARCH_ATTRIBUTE_NAMES } from '../../../workflows/contract';

/**
 * Static checks of docker-compose.yml and the Dockerfile: nothing here can start containers,
 * so this guards what a reader of the file could get wrong (images, ports, ordering, and the
 * worker's environment against config/variables.ts).
 */

const ROOT = path.resolve(__dirname, '../../..');

interface DependsOnEntry {
  condition?: string;
  required?: boolean;
}

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number | string; published?: number | string })[];
  expose?: (string | number)[];
  depends_on?: string[] | Record<string, DependsOnEntry>;
  healthcheck?: { test?: string | string[] };
  volumes?: (string | { source?: string; target: string })[];
  profiles?: string[];
}

interface ComposeFile {
  services: Record<string, Service>;
}

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
const services = compose.services;
const serviceNames = Object.keys(services);

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** `environment` as a map; list entries without `=` (pass-through) map to null. */
function environment(svc: Service): Record<string, string | null> {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, null] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? null : String(v)]));
}

/** Replaces every ${VAR}, ${VAR:-d}, ${VAR-d} by its default (or '' when it has none), innermost first. */
function withDefaults(value: string): string {
  let out = value;
  for (;;) {
    const next = out.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^${}]*))?\}/g, (_m, _name: string, def?: string) => def ?? '');
    if (next === out) return out.replace(/\$\$/g, '$');
    out = next;
  }
}

/** Container-side ports of a service: the target of each `ports` entry, and `expose`. */
function containerPorts(svc: Service): number[] {
  const ports: number[] = [];
  for (const entry of svc.ports ?? []) {
    if (typeof entry === 'object') {
      ports.push(Number(withDefaults(String(entry.target))));
    } else {
      const spec = withDefaults(String(entry)).replace(/\/(tcp|udp)$/, '');
      ports.push(Number(spec.split(':').pop()));
    }
  }
  for (const entry of svc.expose ?? []) ports.push(Number(withDefaults(String(entry))));
  return ports;
}

/** Host-side published ports. */
function publishedPorts(svc: Service): number[] {
  return (svc.ports ?? []).flatMap((entry) => {
    if (typeof entry === 'object') return entry.published === undefined ? [] : [Number(withDefaults(String(entry.published)))];
    const parts = withDefaults(String(entry)).replace(/\/(tcp|udp)$/, '').split(':');
    return parts.length >= 2 ? [Number(parts[parts.length - 2])] : [];
  });
}

function dependsOn(svc: Service): Record<string, DependsOnEntry> {
  const deps = svc.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, { condition: 'service_started' }]));
  return deps;
}

function commandText(svc: Service): string {
  const c = svc.command ?? '';
  return Array.isArray(c) ? c.join(' ') : c;
}

/** Text of the scripts a service mounts from ./docker and runs. */
function mountedScripts(svc: Service): string {
  const cmd = commandText(svc);
  const texts: string[] = [];
  for (const volume of svc.volumes ?? []) {
    const spec = typeof volume === 'string' ? volume : `${volume.source ?? ''}:${volume.target}`;
    const [source, target] = spec.split(':');
    if (!source?.startsWith('./docker') || !target) continue;
    const dir = path.join(ROOT, source);
    for (const file of fs.readdirSync(dir)) {
      if (cmd.includes(`${target}/${file}`)) texts.push(fs.readFileSync(path.join(dir, file), 'utf8'));
    }
  }
  return texts.join('\n');
}

const EXPECTED_SERVICES = ['mysql', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui', 'emulator', 'migrate', 'worker'];
const NOT_FOR_THE_WORKER = (name: string) => name === 'TEMPORAL_UI_PORT' || name.startsWith('EMULATOR_');
const VARIABLE_NAMES: readonly string[] = VARIABLES.map((v) => v.name);

describe('docker-compose.yml', () => {
  it('defines the expected services', () => {
    expect(serviceNames).toEqual(expect.arrayContaining(EXPECTED_SERVICES));
  });

  it('pins every image to a version: no latest, no deprecated auto-setup', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (!svc.image) {
        expect({ name, build: svc.build }).toEqual({ name, build: expect.anything() });
        continue;
      }
      const image = withDefaults(svc.image);
      expect(image).not.toMatch(/auto-setup/);
      const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : '';
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^(?!latest$)[\w][\w.-]*$/) });
    }
    expect(service('mysql').image).toMatch(/^mysql:8\.4(\.\d+)?$/);
    expect(service('temporal').image).toBe('temporalio/server:1.32.0');
    expect(service('temporal-schema').image).toBe('temporalio/admin-tools:1.32.0');
    expect(service('temporal-setup').image).toBe('temporalio/admin-tools:1.32.0');
    expect(service('temporal-ui').image).toBe('temporalio/ui:2.54.1');
  });

  it('builds the emulator, migrate and worker from the Dockerfile with the expected commands', () => {
    for (const name of ['emulator', 'migrate', 'worker']) expect(service(name).build).toBeDefined();
    expect(commandText(service('emulator'))).toBe('npx tsx emulator/main.ts --port 4010 --host 0.0.0.0');
    expect(commandText(service('migrate'))).toBe('npm run migrate');
    expect(commandText(service('worker'))).toBe('npm run worker');
  });

  it('exposes the expected ports', () => {
    expect(containerPorts(service('temporal'))).toContain(7233);
    expect(containerPorts(service('mysql'))).toContain(3306);
    expect(containerPorts(service('temporal-ui'))).toContain(8080);
    expect(publishedPorts(service('temporal-ui'))).toContain(8233);
    expect(containerPorts(service('emulator'))).toContain(4010);
    expect(containerPorts(service('worker'))).toEqual(expect.arrayContaining([9464, 4020]));
  });

  it('points the UI and the setup job at the Temporal frontend', () => {
    expect(environment(service('temporal-ui')).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(environment(service('temporal-setup')).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('runs the Temporal server on MySQL 8 with a dynamic config file that exists', () => {
    const env = environment(service('temporal'));
    expect(env.DB).toBe('mysql8');
    expect(env.MYSQL_SEEDS).toBe('mysql');
    const dynamicConfig = env.DYNAMIC_CONFIG_FILE_PATH;
    expect(dynamicConfig).toBeTruthy();
    const mount = (service('temporal').volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':') : [v.source ?? '', v.target]))
      .find(([, target]) => target && dynamicConfig?.startsWith(`${target}/`));
    expect(mount).toBeDefined();
    const [source, target] = mount as string[];
    expect(fs.existsSync(path.join(ROOT, source as string, (dynamicConfig as string).slice((target as string).length + 1)))).toBe(true);
  });

  it('sets up both Temporal schemas with temporal-sql-tool and the mysql8 plugin', () => {
    const script = mountedScripts(service('temporal-schema'));
    expect(script).toMatch(/temporal-sql-tool --plugin mysql8/);
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema -d']) expect(script).toContain(step);
    expect(script).toContain('/etc/temporal/schema/mysql/v8');
    expect(script).toMatch(/\/temporal\/versioned/);
    expect(script).toMatch(/\/visibility\/versioned/);
    const env = environment(service('temporal-schema'));
    expect([env.TEMPORAL_DBNAME, env.TEMPORAL_VISIBILITY_DBNAME]).toEqual(['temporal', 'temporal_visibility']);
  });

  it('creates the namespace and the Keyword search attributes EntityType, EntityId, StoreId', () => {
    const svc = service('temporal-setup');
    const script = mountedScripts(svc);
    expect(script).toContain('temporal operator cluster health');
    expect(script).toContain('temporal operator namespace create');
    expect(script).toContain('temporal operator search-attribute create');
    expect(script).toMatch(/--type Keyword/);
    const names = (environment(svc).SEARCH_ATTRIBUTES ?? '').split(/\s+/);
    expect([...names].sort()).toEqual([...SEARCH_ATTRIBUTE_NAMES].sort());
    expect(withDefaults(environment(svc).TEMPORAL_NAMESPACE ?? '')).toBe('default');
  });

  it('orders start-up: schema job, server, setup job; migrate and setup before the worker', () => {
    expect(dependsOn(service('temporal-schema')).mysql?.condition).toBe('service_healthy');
    expect(dependsOn(service('temporal'))['temporal-schema']?.condition).toBe('service_completed_successfully');
    expect(dependsOn(service('temporal-setup')).temporal?.condition).toBe('service_healthy');
    expect(dependsOn(service('migrate')).mysql?.condition).toBe('service_healthy');
    const worker = dependsOn(service('worker'));
    expect(worker.migrate?.condition).toBe('service_completed_successfully');
    expect(worker['temporal-setup']?.condition).toBe('service_completed_successfully');
    for (const name of ['mysql', 'temporal', 'emulator', 'worker']) expect(service(name).healthcheck?.test).toBeDefined();
  });

  describe('worker environment', () => {
    const env = environment(service('worker'));

    it('sets only variables that config/variables.ts defines', () => {
      expect(Object.keys(env).filter((name) => !VARIABLE_NAMES.includes(name))).toEqual([]);
    });

    it('sets every variable the worker reads at run time', () => {
      const needed = VARIABLE_NAMES.filter((name) => !NOT_FOR_THE_WORKER(name));
      expect(needed.filter((name) => !(name in env))).toEqual([]);
    });

    it('uses ${VAR:-default} with the defaults of config/variables.ts, service names standing for 127.0.0.1', () => {
      const hosts = serviceNames.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
      const serviceHost = new RegExp(`(^|//|@)(${hosts})(?=:\\d|/|$)`);
      const mismatches: string[] = [];
      for (const spec of VARIABLES) {
        if (!(spec.name in env)) continue;
        const value = env[spec.name];
        if (value === null) {
          // Passed through; allowed only where compose cannot write the default (a literal brace).
          if (!/[{}]/.test(spec.default)) mismatches.push(`${spec.name}: passed through without a default`);
          continue;
        }
        const match = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-)(.*)\}$/s.exec(value);
        if (!match || match[1] !== spec.name) {
          mismatches.push(`${spec.name}: ${value} is not \${${spec.name}:-default}`);
          continue;
        }
        const normalised = (match[3] as string).replace(serviceHost, '$1127.0.0.1');
        if (normalised !== spec.default) mismatches.push(`${spec.name}: default ${match[3]} (as ${normalised}) != ${spec.default}`);
      }
      expect(mismatches).toEqual([]);
    });

    it('points at the compose services and lets MAILCHIMP_API_URL be set empty for real Mailchimp', () => {
      expect(withDefaults(env.DATABASE_URL ?? '')).toBe('mysql://mcsync:mcsync@mysql:3306/mcsync');
      expect(withDefaults(env.TEMPORAL_ADDRESS ?? '')).toBe('temporal:7233');
      expect(withDefaults(env.MAILCHIMP_API_URL ?? '')).toBe('http://emulator:4010/3.0');
      // `:-` would replace an empty value by the emulator's URL.
      expect(env.MAILCHIMP_API_URL).toMatch(/^\$\{MAILCHIMP_API_URL-/);
    });

    it('matches the migrate job on the database', () => {
      expect(environment(service('migrate')).DATABASE_URL).toBe(env.DATABASE_URL);
    });
  });

  it('takes secrets only from the environment', () => {
    const secrets: readonly string[] = VARIABLES.filter((v) => 'secret' in v && v.secret).map((v) => v.name);
    for (const svc of Object.values(services)) {
      const env = environment(svc);
      for (const [name, value] of Object.entries(env)) {
        const secret = secrets.includes(name) || /PASSWORD|PWD|SECRET|API_KEY/.test(name);
        if (secret && value !== null && value !== '') expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^\$\{/) });
      }
    }
  });

  it('creates the shop database and user and the Temporal user in the MySQL init script', () => {
    const init = (service('mysql').volumes ?? []).find((v) => typeof v === 'string' && v.includes('/docker-entrypoint-initdb.d'));
    expect(init).toBeDefined();
    const dir = path.join(ROOT, (init as string).split(':')[0] as string);
    const text = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(text).toMatch(/CREATE DATABASE IF NOT EXISTS/);
    expect(text).toMatch(/CREATE USER IF NOT EXISTS '\$\{SHOP_DB_USER\}'/);
    expect(text).toMatch(/GRANT ALL PRIVILEGES ON temporal\.\*/);
    expect(text).toMatch(/GRANT ALL PRIVILEGES ON temporal_visibility\.\*/);
    const env = environment(service('mysql'));
    expect([env.SHOP_DB_NAME, env.SHOP_DB_USER, withDefaults(env.SHOP_DB_PASSWORD ?? '')]).toEqual(['mcsync', 'mcsync', 'mcsync']);
  });
});

describe('a stack that runs by itself', () => {
  it('has a cli service for one-off commands (`docker compose run --rm cli enable`) that `up` does not start', () => {
    const cli = service('cli');
    expect(cli.profiles).toEqual(['tools']);
    expect(cli.entrypoint).toEqual(['bin/mcsync']);
    expect(fs.statSync(path.join(ROOT, 'bin/mcsync')).mode & 0o111).not.toBe(0);
    expect(environment(cli)).toEqual(environment(service('worker')));
    expect(dependsOn(cli).migrate?.condition).toBe('service_completed_successfully');
    expect(dependsOn(cli)['temporal-setup']?.condition).toBe('service_completed_successfully');
  });

  it('seeds demo data with the demo profile, before the worker ensures its schedules', () => {
    const seed = service('seed');
    expect(seed.profiles).toEqual(['demo']);
    expect(commandText(seed)).toBe('npm run seed');
    expect(dependsOn(seed).migrate?.condition).toBe('service_completed_successfully');
    expect(dependsOn(service('worker')).seed).toEqual({ condition: 'service_completed_successfully', required: false });
    expect(environment(seed).DATABASE_URL).toBe(environment(service('worker')).DATABASE_URL);
  });

  it('starts every other service with a plain `up` (no profile)', () => {
    const always = serviceNames.filter((name) => !services[name]?.profiles);
    expect(always.sort()).toEqual([...EXPECTED_SERVICES].sort());
  });

  it("checks the worker's health on /healthz (its Temporal connection), not on /metrics", () => {
    const test = service('worker').healthcheck?.test;
    expect(Array.isArray(test) ? test.join(' ') : test).toContain("/healthz')");
  });
});

describe("the README's production section", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Running it the production way'), readme.indexOf('## Project layout'));
  const commands = [...section.matchAll(/`(docker compose [^`]+)`/g), ...section.matchAll(/^(docker compose .+)$/gm)].map((m) => m[1] as string);

  it('names only services and profiles that docker-compose.yml defines', () => {
    expect(commands.length).toBeGreaterThan(5);
    const profiles = new Set(Object.values(services).flatMap((s) => s.profiles ?? []));
    for (const command of commands) {
      for (const m of command.matchAll(/--profile (\S+)/g)) expect({ command, known: profiles.has(m[1] as string) }).toEqual({ command, known: true });
      for (const m of command.matchAll(/--scale ([\w-]+)=/g)) expect({ command, known: serviceNames.includes(m[1] as string) }).toEqual({ command, known: true });
      const run = /\brun --rm (?:--no-deps )?([\w-]+)/.exec(command);
      if (run) expect({ command, known: serviceNames.includes(run[1] as string) }).toEqual({ command, known: true });
      const up = /\bup -d (?:--no-deps )?((?:[a-z][\w-]*\s*)+)$/.exec(command);
      if (up) for (const name of (up[1] as string).trim().split(/\s+/)) expect({ command, known: serviceNames.includes(name) }).toEqual({ command, known: true });
    }
  });

  it('turns the sync on with one documented command that the cli service runs', () => {
    expect(commands).toContain('docker compose run --rm cli enable');
    expect(commands).toContain('docker compose run --rm cli doctor');
    expect(commands.some((c) => c.includes('--profile demo up -d'))).toBe(true);
  });
});
