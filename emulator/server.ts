import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { apiKeyInvalid, authenticate } from './auth';
import type { ApiReply } from './context';
import { problemReply, toApiError, type EmulatorCore } from './core';
import { decideFault, latencyFor } from './faults';
import { ApiError, PROBLEM_CONTENT_TYPE, notFound, tooManyRequests } from './problem';
import { registerControlRoutes } from './routes/control';
import type { Query } from './util';
import { sleep } from './util';

export const API_PREFIX = '/3.0';
const PROBLEM_LINK = '<https://us1.api.mailchimp.com/schema/3.0/ProblemDetailDocument.json>; rel="describedBy"';

export function sendApiReply(reply: FastifyReply, result: ApiReply): FastifyReply {
  reply.code(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
  if (result.status >= 400) reply.header('link', PROBLEM_LINK);
  if (result.status === 204 || result.body === undefined) return reply.send();
  reply.header('content-type', result.status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json; charset=utf-8');
  return reply.send(JSON.stringify(result.body));
}

function queryOf(request: FastifyRequest): Query {
  const out: Query = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    out[key] = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
  }
  return out;
}

/** The HTTP face of the emulator: /3.0 (auth, concurrency limit, faults, latency) and /_emulator. */
export function buildServer(core: EmulatorCore, apiKey: string): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 200 * 1024 * 1024, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, _request, reply) => {
    const apiError = error instanceof ApiError ? error : toApiError(error);
    return sendApiReply(reply, problemReply(apiError));
  });
  app.setNotFoundHandler((_request, reply) => sendApiReply(reply, problemReply(notFound())));

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: `${API_PREFIX}/*`,
    handler: async (request, reply) => {
      const method = request.method;
      const path = request.url.slice(API_PREFIX.length).split('?')[0];
      let key: string;
      try {
        key = authenticate(request.headers.authorization, apiKey);
        if (core.config().faults.keyRevoked) throw apiKeyInvalid();
      } catch (error) {
        core.stats.record(method, '(unauthenticated)', toApiError(error).status);
        return sendApiReply(reply, problemReply(toApiError(error)));
      }
      const config = core.config();
      if (core.stats.inFlight(key) >= config.maxConcurrent) {
        core.stats.record(method, '(rejected)', 429);
        return sendApiReply(
          reply,
          problemReply(tooManyRequests(`You have exceeded the limit of ${config.maxConcurrent} simultaneous connections.`)),
        );
      }
      core.stats.enter(key);
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        core.stats.leave(key);
      };
      reply.raw.once('close', leave);
      try {
        const fault = decideFault(config, core.random);
        switch (fault.kind) {
          case 'outage':
            core.stats.record(method, '(outage)', 503);
            return sendApiReply(reply, problemReply(new ApiError(503, 'Service Unavailable', 'The API is temporarily unavailable (emulated outage).')));
          case 'reset':
            core.stats.record(method, '(reset)', 'reset');
            leave();
            request.raw.socket.destroy();
            return reply.hijack();
          case 'rate-limit':
            core.stats.record(method, '(fault)', 429);
            return sendApiReply(reply, problemReply(tooManyRequests('You have exceeded the rate limit (emulated).', fault.retryAfterSeconds)));
          case 'error':
            core.stats.record(method, '(fault)', fault.status);
            return sendApiReply(
              reply,
              problemReply(
                fault.status === 500
                  ? new ApiError(500, 'Internal Server Error', 'An unexpected internal error has occurred (emulated).')
                  : new ApiError(503, 'Service Unavailable', 'The service is temporarily unavailable (emulated).'),
              ),
            );
          case 'bodiless':
            core.stats.record(method, '(fault)', fault.status);
            return reply.code(fault.status).send();
          case 'hang':
            if (fault.ms >= config.faults.serverTimeoutMs) {
              // Mailchimp gives up on a call after its server timeout: the connection closes with no answer.
              await sleep(config.faults.serverTimeoutMs);
              core.stats.record(method, '(server timeout)', 'reset');
              leave();
              request.raw.socket.destroy();
              return reply.hijack();
            }
            await sleep(fault.ms);
            break;
          case 'none':
            break;
        }
        const latency = latencyFor(config, core.random);
        if (latency > 0) await sleep(latency);
        // The emulator's own time for the call (dispatch: validation, storage; the reply's serialisation), on top of
        // the latency slept before it: GET /_emulator/stats `timing`, so the benchmark can show the real time a call took.
        const served = performance.now();
        const rawBody = typeof request.body === 'string' ? request.body : undefined;
        const { reply: result, pattern } = await core.dispatch({ method, path, query: queryOf(request), rawBody });
        core.stats.record(method, `${API_PREFIX}${pattern}`, result.status);
        const sent = sendApiReply(reply, result);
        core.stats.time(`${method} ${API_PREFIX}${pattern}`, latency, performance.now() - served);
        return sent;
      } finally {
        if (reply.sent) leave();
      }
    },
  });

  registerControlRoutes(app, core);
  return app;
}
