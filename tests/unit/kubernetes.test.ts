import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SECRET_VARIABLES, SETTINGS } from '../../src/config.ts';

/**
 * Neither kubeconform nor helm installs from the registries the test machines reach, so the manifests
 * under deploy/kubernetes are read as kustomize reads them (the kustomization's resources) and checked for
 * what docs/deploy.md promises of them.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const DIR = join(ROOT, 'deploy/kubernetes');
const read = (file: string) => parse(readFileSync(join(DIR, file), 'utf8'));

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  image: string;
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value: string }>;
  envFrom: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe: Probe;
  resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean };
}

const kustomization = read('kustomization.yaml') as {
  resources: string[];
  images: Array<{ name: string }>;
  configMapGenerator: Array<{ name: string; literals: string[] }>;
};
// biome-ignore lint/suspicious/noExplicitAny: manifests of several kinds, narrowed by each check
const manifests: any[] = kustomization.resources.map(read);
const byKind = (kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

const deployment = byKind('Deployment');
const pod = deployment.spec.template;
const container = pod.spec.containers[0] as Container;
const envValue = (name: string) => container.env.find((e) => e.name === name)?.value;

describe('deploy/kubernetes', () => {
  it('runs at least two replicas, rolling one at a time, with a disruption budget keeping one', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    const labels = pod.metadata.labels;
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(labels).toMatchObject(byKind('Service').spec.selector);
    const budget = byKind('PodDisruptionBudget');
    expect(labels).toMatchObject(budget.spec.selector.matchLabels);
    expect(budget.spec.minAvailable).toBe(1);
  });

  it('probes /healthz on the port Pulse listens on: startup, readiness and liveness', () => {
    const http = container.ports.find((p) => p.name === 'http')!;
    expect(String(http.containerPort)).toBe(envValue('PORT'));
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    }
  });

  it('keeps the ops endpoints on OPS_PORT, which no Service port or container port exposes', () => {
    const ops = Number(envValue('OPS_PORT'));
    expect(ops).toBeGreaterThan(0);
    expect(ops).not.toBe(Number(envValue('PORT')));
    expect(container.ports.map((p) => p.containerPort)).not.toContain(ops);
    const service = byKind('Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
  });

  it('exposes through the Ingress only what Slack, Stripe and the ingestion clients call, as the compose proxy does', () => {
    const ingress = byKind('Ingress');
    expect(ingress.spec.tls[0].secretName).toBeTruthy();
    const [rule] = ingress.spec.rules;
    const paths = rule.http.paths.map((p: { path: string; pathType: string }) => `${p.pathType} ${p.path}`);
    expect(paths).toEqual([
      'Exact /slack/events',
      'Exact /webhooks/stripe',
      'Exact /webhooks/zendesk',
      'Prefix /api/v1/',
      'Prefix /v1/',
    ]);
    for (const p of rule.http.paths)
      expect(p.backend.service).toEqual({ name: 'pulse', port: { name: 'http' } });
    const caddyfile = readFileSync(join(ROOT, 'deploy/compose/Caddyfile'), 'utf8');
    const proxied = /@public path (.+)$/m.exec(caddyfile)![1]!.replaceAll('/*', '/').split(' ');
    expect(proxied).toEqual(rule.http.paths.map((p: { path: string }) => p.path));
  });

  it('takes the tokens from a Secret and the other settings from a ConfigMap, all of them settings Pulse reads', () => {
    const secret = byKind('Secret');
    const refs = container.envFrom;
    expect(refs.find((r) => r.secretRef)?.secretRef?.name).toBe(secret.metadata.name);
    for (const key of Object.keys(secret.stringData)) expect(SECRET_VARIABLES).toContain(key);
    expect(Object.keys(secret.stringData)).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DATABASE_URL']),
    );
    const [settings] = kustomization.configMapGenerator;
    expect(refs.find((r) => r.configMapRef)?.configMapRef?.name).toBe(settings!.name);
    const names = [...settings!.literals.map((l) => l.split('=')[0]!), ...container.env.map((e) => e.name)];
    for (const name of names) expect(Object.keys(SETTINGS.shape)).toContain(name);
    // A secret never sits in the ConfigMap.
    for (const name of names) expect(SECRET_VARIABLES).not.toContain(name);
  });

  it('sizes the pod and runs it as the image user, unprivileged, on a read-only root', () => {
    expect(container.resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(container.resources.limits).toEqual({ memory: '512Mi' });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
    expect(kustomization.images.map((i) => i.name)).toContain(container.image);
  });
});
