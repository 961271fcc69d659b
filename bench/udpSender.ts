// A second process for the ingest benchmark: sends X-Ray datagrams at a fixed rate, each a new
// trace, and prints how many it sent. Args: PORT RATE SECONDS TEMPLATE_JSON_FILE
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

const [port, rate, seconds, templateFile] = process.argv.slice(2);
const template = readFileSync(templateFile!, 'utf8');
const sock = createSocket('udp4');
const total = Number(rate) * Number(seconds);
const tickMs = 10;
const perTick = Math.ceil(Number(rate) / (1000 / tickMs));
let sent = 0;
const start = Date.now();
const base = Math.floor(Date.now() / 1000);

function datagram(i: number): string {
  const traceId = `1-${base.toString(16)}-${i.toString(16).padStart(24, '0')}`;
  const now = Date.now() / 1000;
  return `{"format":"json","version":1}\n${template
    .replace('__TRACE_ID__', traceId)
    .replace('__ID__', i.toString(16).padStart(16, '0'))
    .replace('__START__', String(now - 0.05))
    .replace('__END__', String(now))}`;
}

function tick(): void {
  // Keep to the schedule: send what the elapsed time allows, in small bursts.
  const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * Number(rate)) + perTick);
  while (sent < due) sock.send(datagram(sent++), Number(port), '127.0.0.1');
  if (sent < total) setTimeout(tick, tickMs);
  else
    setTimeout(() => {
      sock.close();
      process.stdout.write(`${JSON.stringify({ sent, seconds: (Date.now() - start) / 1000 })}\n`);
    }, 200);
}
tick();
