/**
 * A loopback OpenTelemetry collector for tests: accepts OTLP/HTTP JSON on `/v1/traces` and keeps every span
 * it received, flattened with its resource's service name.
 */
import { listen, readBody } from '../shared/http.js';

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
}

export interface FakeCollector {
  url: string;
  spans: ReceivedSpan[];
  /** Requests answered with 415 because their body was not JSON (e.g. protobuf). */
  refused: number;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
type OtlpAttributes = { key: string; value: OtlpValue }[] | undefined;

const valueOf = (v: OtlpValue) => v.stringValue ?? v.boolValue ?? v.doubleValue ?? Number(v.intValue);
const attributesOf = (list: OtlpAttributes) =>
  Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));

export async function startFakeCollector(): Promise<FakeCollector> {
  const spans: ReceivedSpan[] = [];
  const state = { refused: 0 };
  const server = await listen(async (req, res) => {
    const raw = await readBody(req);
    if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) {
      state.refused++;
      res.writeHead(415).end();
      return;
    }
    const body = JSON.parse(raw.toString('utf8'));
    for (const rs of body.resourceSpans ?? []) {
      const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '');
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? [])
          spans.push({
            ...s,
            service,
            parentSpanId: s.parentSpanId ?? '',
            attributes: attributesOf(s.attributes),
            status: s.status ?? {},
          });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  return {
    url: server.url,
    spans,
    get refused() {
      return state.refused;
    },
    close: server.close,
  };
}
