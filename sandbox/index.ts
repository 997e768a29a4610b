import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { SlackDouble } from './slack-double.ts';
import { SlackClientSimulator, type SubmissionValues } from './slack-simulator.ts';
import type { SandboxWorkspace } from './workspace.ts';

export { SlackDouble } from './slack-double.ts';
export { SlackClientSimulator } from './slack-simulator.ts';
export type { SandboxWorkspace } from './workspace.ts';

// Beside this module: `npm run build` copies src/sandbox/public/ into dist/sandbox/public/.
const PUBLIC_DIR = new URL('./public/', import.meta.url);
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** The inspector shows the latest calls; older ones stay in the double but are not sent to the page. */
const INSPECTOR_HISTORY = 400;
const KEEPALIVE_MS = 20_000;

export interface SandboxOptions {
  botToken: string;
  signingSecret: string;
  /** Where the app listens for Slack (`…/slack/events`); known only once the server listens. */
  eventsUrl: () => string;
  logger: Logger;
  workspace?: SandboxWorkspace;
  /** Epoch milliseconds; pass the app's clock so signatures, `ts` and expiries agree with it. */
  now?: () => number;
  /** The app's message shortcuts, as its manifest declares them: each message's "More actions" menu. */
  messageShortcuts?: MessageShortcut[];
}

export interface MessageShortcut {
  name: string;
  callbackId: string;
}

export interface Sandbox {
  double: SlackDouble;
  simulator: SlackClientSimulator;
}

interface UiBody {
  user: string;
  channel?: string;
  text?: string;
  ts?: string;
  ephemeralId?: string;
  viewId?: string;
  actionId?: string;
  blockId?: string;
  value?: string | string[];
  values?: SubmissionValues;
  tab?: string;
  callbackId?: string;
}

/**
 * The sandbox: a Slack look-alike at `GET /sandbox` in front of a Web API double at `/sandbox/api/`.
 * The page acts as a person in the workspace; this server turns what they do into the signed requests
 * Slack would send to `eventsUrl()`, and streams every change back to the page (server-sent events).
 */
export function registerSandbox(app: FastifyInstance, options: SandboxOptions): Sandbox {
  const double = new SlackDouble({
    botToken: options.botToken,
    workspace: options.workspace,
    now: options.now,
  });
  double.register(app, '/sandbox/api');
  const simulator = new SlackClientSimulator({
    double,
    signingSecret: options.signingSecret,
    eventsUrl: options.eventsUrl,
  });
  const assets = new Set(readdirSync(PUBLIC_DIR));
  const streams = new Set<ServerResponse>();

  app.register(
    async (scope) => {
      const page = (_request: unknown, reply: FastifyReply) => sendAsset(reply, 'index.html');
      scope.get('/', page);
      scope.get<{ Params: { file: string } }>('/assets/:file', (request, reply) => {
        if (!assets.has(request.params.file))
          return reply.code(404).send({ errors: [{ path: '', message: 'no such asset' }] });
        return sendAsset(reply, request.params.file);
      });
      scope.get('/state', async () => ({ ...snapshot(double), shortcuts: options.messageShortcuts ?? [] }));
      // What the app uploaded (e.g. a review's .ics), for the person to open as they would in Slack.
      scope.get<{ Params: { id: string } }>('/files/:id', (request, reply) => {
        const file = double.files.find((f) => f.id === request.params.id && f.content);
        if (!file) return reply.code(404).send({ errors: [{ path: '', message: 'no such file' }] });
        return reply
          .type('application/octet-stream')
          .header('content-disposition', `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`)
          .send(file.content);
      });
      scope.get('/events', (request, reply) => {
        reply.hijack();
        const stream = reply.raw;
        stream.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        stream.write('retry: 1000\n\n');
        const forward = (change: unknown) => stream.write(`data: ${JSON.stringify(change)}\n\n`);
        const keepalive = setInterval(() => stream.write(': keepalive\n\n'), KEEPALIVE_MS);
        double.on('change', forward);
        streams.add(stream);
        request.raw.on('close', () => {
          clearInterval(keepalive);
          double.off('change', forward);
          streams.delete(stream);
        });
      });

      scope.post<{ Body: UiBody }>('/ui/command', async (request, reply) => {
        const { user, text = '' } = request.body;
        // The person's DM with the app exists from their first look at it, as in Slack.
        const channel =
          request.body.channel === `D${user.slice(1)}` ? double.dmWith(user).id : request.body.channel;
        if (!channel) return reply.code(400).send({ error: 'channel is required' });
        const trimmed = text.trim();
        if (!trimmed.startsWith('/')) {
          double.postAsPerson(channel, user, trimmed);
          return { status: 200 };
        }
        const [command = '', ...rest] = trimmed.split(/\s+/);
        return relay(reply, () => simulator.command({ user, channel }, command, rest.join(' ')));
      });
      scope.post<{ Body: UiBody }>('/ui/action', async (request, reply) => {
        const body = request.body;
        const target = body.viewId
          ? double.view(body.viewId)
          : body.ephemeralId
            ? double.ephemerals(body.user).find((e) => e.id === body.ephemeralId)
            : double.message(body.channel ?? '', body.ts ?? '');
        if (!target) return reply.code(404).send({ error: 'that message or view is gone' });
        return relay(reply, () =>
          simulator.click(target, body.actionId ?? '', {
            user: body.user,
            value: body.value,
            blockId: body.blockId,
          }),
        );
      });
      scope.post<{ Body: UiBody }>('/ui/shortcut', async (request, reply) => {
        const body = request.body;
        const message = double.message(body.channel ?? '', body.ts ?? '');
        if (!message) return reply.code(404).send({ error: 'that message is gone' });
        return relay(reply, () => simulator.shortcut(message, body.callbackId ?? '', { user: body.user }));
      });
      scope.post<{ Body: UiBody }>('/ui/submit', async (request, reply) =>
        relay(reply, () =>
          simulator.submit(request.body.viewId ?? '', request.body.values ?? {}, request.body.user),
        ),
      );
      scope.post<{ Body: UiBody }>('/ui/close', async (request, reply) =>
        relay(reply, async () => (await simulator.close(request.body.viewId ?? '', request.body.user)) ?? {}),
      );
      scope.post<{ Body: UiBody }>('/ui/home', async (request, reply) =>
        relay(reply, () =>
          simulator.openHome(request.body.user, request.body.tab === 'messages' ? 'messages' : 'home'),
        ),
      );
    },
    { prefix: '/sandbox' },
  );

  // Open event streams would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
  });

  /** Runs one simulated action; an unreachable app is reported to the page, not thrown. */
  async function relay(reply: FastifyReply, action: () => Promise<object>) {
    try {
      const result = await action();
      return JSON.parse(JSON.stringify(result));
    } catch (error) {
      options.logger.warn({ err: error }, 'sandbox action failed');
      return reply.code(502).send({ error: (error as Error).message });
    }
  }

  return { double, simulator };
}

async function sendAsset(reply: FastifyReply, file: string) {
  const type = CONTENT_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
  const body = await readFile(new URL(file, PUBLIC_DIR));
  return reply.type(type).header('cache-control', 'no-cache').send(body);
}

/** Everything the page needs to draw itself; later changes arrive on the event stream. */
function snapshot(double: SlackDouble) {
  const conversations = double.conversations();
  return {
    team: double.team,
    bot: double.bot,
    users: double.users(),
    channels: conversations,
    messages: Object.fromEntries(conversations.map((c) => [c.id, double.messages(c.id)])),
    ephemerals: double.ephemerals(),
    views: double.views.filter((v) => !v.closed),
    homes: Object.fromEntries(
      double
        .users()
        .map((u) => [u.id, double.homeViews(u.id).at(-1)])
        .filter(([, view]) => view !== undefined),
    ),
    calls: double.calls.slice(-INSPECTOR_HISTORY),
    botRequests: double.botRequests.slice(-INSPECTOR_HISTORY),
  };
}
