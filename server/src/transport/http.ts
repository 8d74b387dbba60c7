/**
 * The HTTP application: the security gate, the API routes, the WebSocket hub and one error mapping.
 * Built without listening, so tests call it in-process (`app.inject`).
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AgentDto, HealthDto, Profile } from '../../../shared/api.js';
import type { Services } from '../services/index.js';
import { hasClaudeCredentials } from '../runner/credentials.js';
import { needs } from './access.js';
import { noQuery, parse } from './validate.js';
import { clientErrorHandler, installErrorHandler } from './error-handler.js';
import { registerAttachmentRoutes } from './routes/attachments.js';
import { registerCostRoutes } from './routes/costs.js';
import { registerWorkerRoutes } from './routes/workers.js';
import { registerFormulaRoutes } from './routes/formulas.js';
import { registerMcpRoute } from './routes/mcp.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerGovernanceRoutes } from './routes/governance.js';
import { registerDiscordRoute } from './routes/discord.js';
import { registerProjectFileRoutes } from './routes/project-files.js';
import { registerProjectRoutes } from './routes/projects.js';
import { registerReviewRoutes } from './routes/review.js';
import { registerReviewCommentRoutes } from './routes/review-comments.js';
import { registerDependencyRoutes } from './routes/dependencies.js';
import { registerMergeRoutes } from './routes/merge.js';
import { registerScheduleRoutes } from './routes/schedules.js';
import { registerGitHubWebhookRoute } from './routes/github-webhook.js';
import { registerPushRoutes } from './routes/push.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerUserRoutes } from './routes/users.js';
import { registerOidcRoutes, type OidcSettings } from './routes/oidc.js';
import { lazyCompilers } from './lazy-compilers.js';
import { createFrameworkErrorHandler, installSecurity } from './security.js';
import { installAuditHooks } from './audit-hooks.js';
import { installWorkspaceGuard } from './workspace-guard.js';
import { createIdentify } from './identity.js';
import { registerStatic } from './static.js';
import { handleProtocols, registerWsHub } from './ws-hub.js';
import { describeSandbox } from '../services/governance/sandbox.js';

export interface AppOptions {
  services: Services;
  token: string;
  allowedHosts: string[];
  version: string;
  log: (msg: string, err?: unknown) => void;
  /** The data directory (attachments live under it). */
  home: string;
  /** The environment agents run with (for the user's commands and the credentials check). */
  env: NodeJS.ProcessEnv;
  /** A demo server (scripted model, sample repository): the dashboard says so. */
  demo: boolean;
  /** The model id of each profile, for the new-task dialog. */
  models: Record<Profile, string>;
  /** The agents tasks can run and what each lacks (`GET /api/agents`); none when not given. */
  agents?: () => AgentDto[];
  /** Web sign-in through an OpenID Connect provider, when configured. */
  oidc?: OidcSettings;
  /** The port the server listens on (Origin checks compare it); read lazily, as it is known only after listen. */
  port: () => number;
}

/** No inline code or styles from anywhere, no <base> rewriting, forms post only here, no framing. */
const CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const gate = {
    token: opts.token,
    allowedHosts: opts.allowedHosts,
    port: opts.port,
    identify: createIdentify(opts.token, opts.services.team.people),
  };
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
    frameworkErrors: createFrameworkErrorHandler(gate),
    clientErrorHandler,
    schemaController: { compilersFactory: lazyCompilers },
  });
  installErrorHandler(app, opts.log);
  // First, so that every route registered below must declare its access rule.
  installSecurity(app, gate);
  installAuditHooks(app, opts.services.team.audit, opts.log);
  installWorkspaceGuard(app, opts.services);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', CSP);
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024, handleProtocols } });
  app.get('/api/health', needs('viewer'), async (req): Promise<HealthDto> => {
    parse(noQuery, req.query, 'query');
    return {
      ok: true,
      version: opts.version,
      demo: opts.demo,
      credentials: hasClaudeCredentials(opts.env),
      models: opts.models,
      sandbox: describeSandbox(opts.services.sandbox),
    };
  });
  app.get('/api/agents', needs('viewer'), async (req): Promise<AgentDto[]> => {
    parse(noQuery, req.query, 'query');
    return opts.agents?.() ?? [];
  });
  registerProjectRoutes(app, opts.services);
  registerTaskRoutes(app, opts.services);
  registerCostRoutes(app, opts.services);
  registerWorkerRoutes(app, opts.services);
  registerReviewRoutes(app, opts.services);
  registerMergeRoutes(app, opts.services);
  registerReviewCommentRoutes(app, opts.services);
  registerDependencyRoutes(app, opts.services);
  registerFormulaRoutes(app, opts.services);
  registerDiscordRoute(app);
  registerWsHub(app, opts.services, opts.log);
  registerProjectFileRoutes(app, opts.services);
  registerAttachmentRoutes(app, opts.services);
  registerMcpRoute(app, opts);
  registerMetricsRoute(app, opts.services.metrics);
  registerGovernanceRoutes(app, opts.services);
  registerScheduleRoutes(app, opts.services);
  registerGitHubWebhookRoute(app, opts.services);
  registerPushRoutes(app, opts.services);
  registerUserRoutes(app, opts.services);
  registerAuthRoutes(app, opts.services, () => opts.oidc?.name ?? null);
  registerOidcRoutes(app, opts.services, opts.oidc);
  registerAuditRoutes(app, opts.services);
  registerStatic(app);
  return app;
}
