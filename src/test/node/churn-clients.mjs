// SSE clients for the rolling-restart test (ChurnRollingRestartTest): the npm `eventsource`
// package, one EventSource per {name, url} given as JSON in argv[2]. Writes one JSON line per
// observation to stdout, for the test to check exactly as it checks the browser's:
//   {"c": name, "t": "state", "readyState": n, "why": "open"|"error", "message": ...}
//   {"c": name, "t": "event", "type": "message"|"history-gap", "id": ..., "data": ...}
// Exits when stdin closes, so that it never outlives the test that started it.
import { EventSource } from 'eventsource';

const clients = JSON.parse(process.argv[2]);
const write = (line) => process.stdout.write(JSON.stringify(line) + '\n');

for (const { name, url } of clients) {
  const source = new EventSource(url);
  const state = (why, message) => write({ c: name, t: 'state', readyState: source.readyState, why, message });
  source.onopen = () => state('open');
  source.onerror = (e) => state('error', e && (e.message || e.code) ? `${e.code ?? ''} ${e.message ?? ''}`.trim() : undefined);
  source.onmessage = (e) => write({ c: name, t: 'event', type: 'message', id: e.lastEventId, data: e.data });
  // A gap in the history is a loss the gateway admits to: the test counts it as one.
  source.addEventListener('history-gap', (e) => write({ c: name, t: 'event', type: 'history-gap', id: e.lastEventId, data: e.data }));
}
write({ c: '*', t: 'started', count: clients.length });

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
