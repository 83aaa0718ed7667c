// Load figures for `cargo xtask bench`: submissions with 3 evidence files each, and
// `/healthz` through the same client at the same concurrency (so the submission rate can
// be read as a share of what this client and machine manage at all); the
// delay from sending a submission to its event arriving on an open SSE stream (an upper
// bound of event-to-tracker latency: it includes the submission itself); and, with
// STREAMS open tracking streams, the delay from a developer's decision being sent to the
// case's open tracker hearing of it. Prints one JSON object.
// Environment: BASE_URL, REFUND_SERVER_BIN, REFUND_DATA_DIR, REFUND_DATABASE_URL when on PostgreSQL (set by xtask).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const base = process.env.BASE_URL;
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 400);
const CONCURRENCY = 16;
const SSE_ROUNDS = Number(process.env.BENCH_SSE_ROUNDS ?? 100);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 100);
const HEALTHZ = Number(process.env.BENCH_HEALTHZ ?? 4000);
// Bodies prepared for the wrk measurement of submissions (see submit.lua), when asked for.
const PREPARE = Number(process.env.BENCH_PREPARE ?? 0);
// A real 1x1 PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function session(openid) {
  const link = execFileSync(process.env.REFUND_SERVER_BIN, [
    'ticket', '--appid', 'wxdemo0001', '--openid', openid,
    '--data-dir', process.env.REFUND_DATA_DIR,
  ]).toString().trim();
  const res = await fetch(`${base}/api/session/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket: link }),
  });
  if (!res.ok) throw new Error(`launch failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie').split(';')[0];
}

async function upload(cookie, i) {
  const form = new FormData();
  form.append('category', 'screenshots');
  form.append('file', new Blob([PNG, Buffer.from(String(i))], { type: 'image/png' }), `shot-${i}.png`);
  const res = await fetch(`${base}/api/evidence`, { method: 'POST', headers: { cookie }, body: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

function complaint(evidenceIds, n) {
  return JSON.stringify({
    kind: 'complaint',
    complaint: { category: 'broken_feature', demands: ['fix'], title: `卡关 ${n}`, contact: '13900001111' },
    narrative: '第三关每次通关后都闪退，已经重试多次，充值的道具也无法使用。',
    evidence_ids: evidenceIds,
  });
}

async function submit(cookie, body, key) {
  const started = performance.now();
  const res = await fetch(`${base}/api/cases`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
    body,
  });
  const answer = await res.json();
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(answer)}`);
  return { ms: performance.now() - started, caseNo: answer.case_no, key: answer.tracking_key };
}

async function submitLoad(cookie) {
  const ids = [];
  for (let i = 0; i < SUBMITS * 3; i++) ids.push(await upload(cookie, i));
  const bodies = Array.from({ length: SUBMITS }, (_, n) => complaint(ids.slice(n * 3, n * 3 + 3), n));
  const latencies = [];
  const tracked = [];
  let next = 0;
  let caseNo;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const n = next++;
        const r = await submit(cookie, bodies[n], `bench-submit-${process.pid}-${n}`);
        latencies.push(r.ms);
        caseNo = r.caseNo;
        tracked.push({ caseNo: r.caseNo, key: r.key });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { caseNo, tracked, rps: SUBMITS / seconds, p99: percentile(latencies, 99) };
}

// PREPARE complaints with 3 fresh uploads each, written one JSON body a line to BENCH_BODIES.
async function prepareBodies(cookie) {
  const ids = new Array(PREPARE * 3);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const i = next++;
        ids[i] = await upload(cookie, 2e6 + i);
      }
    }),
  );
  const lines = Array.from({ length: PREPARE }, (_, n) => complaint(ids.slice(n * 3, n * 3 + 3), n));
  writeFileSync(process.env.BENCH_BODIES, lines.join('\n') + '\n');
}

// `GET /healthz` HEALTHZ times, CONCURRENCY at once, as `submitLoad` sends submissions.
async function healthzLoad(cookie) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < HEALTHZ) {
        next++;
        const sent = performance.now();
        const res = await fetch(`${base}/healthz`, { headers: { cookie } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`healthz failed: ${res.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: HEALTHZ / seconds, p99: percentile(latencies, 99) };
}

async function sseLatency(cookie) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { cookie }, signal: controller.signal });
  const waiters = new Map();
  const arrivals = new Map();
  readEvents(res, ({ case_no: caseNo }, at) => {
    arrivals.set(caseNo, at);
    waiters.get(caseNo)?.(at);
  });
  const delays = [];
  for (let n = 0; n < SSE_ROUNDS; n++) {
    const ids = [await upload(cookie, 1e6 + n)];
    const body = complaint(ids, n);
    const sent = performance.now();
    let arrived;
    const seen = new Promise((resolve) => (arrived = resolve));
    const { caseNo } = await submit(cookie, body, `bench-sse-${process.pid}-${n}`);
    waiters.set(caseNo, arrived);
    if (arrivals.has(caseNo)) arrived(arrivals.get(caseNo));
    const at = await Promise.race([seen, new Promise((r) => setTimeout(() => r(null), 5000))]);
    if (at === null) throw new Error(`event for ${caseNo} never arrived`);
    delays.push(at - sent);
  }
  controller.abort();
  delays.sort((a, b) => a - b);
  return { p50: percentile(delays, 50), p99: percentile(delays, 99) };
}

// Reads `event: case` messages from an SSE response, calling `onCase(data, at)`.
function readEvents(res, onCase) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split('\n').find((l) => l.startsWith('data:'));
        if (data && message.includes('event: case')) onCase(JSON.parse(data.slice(5)), performance.now());
      }
    }
  })();
}

async function consoleSession() {
  const login = `bench-dev-${process.pid}`;
  const password = 'bench-password-of-length';
  execFileSync(process.env.REFUND_SERVER_BIN, [
    'user', 'add', '--role', 'developer', '--org', 'demo-studio', '--login', login, '--password-stdin',
    '--data-dir', process.env.REFUND_DATA_DIR,
  ], { input: password });
  const res = await fetch(`${base}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!res.ok) throw new Error(`console login failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie').split(';')[0];
}

// STREAMS tracking streams open over the cases; DECISIONS of them decided one by one.
async function decisionLatency(tracked) {
  const developer = await consoleSession();
  const controller = new AbortController();
  const waiters = new Map();
  let opened = 0;
  await Promise.all(
    Array.from({ length: STREAMS }, async (_, i) => {
      const { caseNo, key } = tracked[i % tracked.length];
      // A tracking link's key goes in a header; its live stream takes a token instead.
      const minted = await fetch(`${base}/api/track/${encodeURIComponent(caseNo)}/stream-token`, {
        method: 'POST',
        headers: { 'x-tracking-key': key },
      });
      if (!minted.ok) throw new Error(`stream token ${i} failed: ${minted.status}`);
      const { token } = await minted.json();
      const url = `${base}/api/events?case=${encodeURIComponent(caseNo)}&token=${encodeURIComponent(token)}`;
      const res = await fetch(url, { signal: controller.signal });
      if (!res.ok) throw new Error(`stream ${i} failed: ${res.status}`);
      opened++;
      readEvents(res, (data, at) => {
        if (data.kind === 'decided') waiters.get(data.case_no)?.(at);
      });
    }),
  );
  const delays = [];
  for (let n = 0; n < Math.min(DECISIONS, tracked.length); n++) {
    const { caseNo } = tracked[n];
    const heard = new Promise((resolve) => waiters.set(caseNo, resolve));
    const sent = performance.now();
    const res = await fetch(`${base}/api/console/cases/${encodeURIComponent(caseNo)}/decision`, {
      method: 'POST',
      headers: { cookie: developer, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'reject', reason: 'other', note: '经核实，问题已在新版本修复。', refunds: [] }),
    });
    if (res.status !== 201) throw new Error(`decision failed: ${res.status} ${await res.text()}`);
    const at = await Promise.race([heard, new Promise((r) => setTimeout(() => r(null), 5000))]);
    if (at === null) throw new Error(`the tracker of ${caseNo} never heard of its decision`);
    delays.push(at - sent);
  }
  controller.abort();
  delays.sort((a, b) => a - b);
  return { streams: opened, p50: percentile(delays, 50), p99: percentile(delays, 99) };
}

const cookie = await session('demo-player-xiaoming');
const submits = await submitLoad(cookie);
const healthz = await healthzLoad(cookie);
const sse = await sseLatency(await session('demo-player-lele'));
const decision = await decisionLatency(submits.tracked.slice(0, submits.tracked.length - 1));
if (PREPARE > 0) await prepareBodies(cookie);
console.log(
  JSON.stringify({ cookie, caseNo: submits.caseNo, submit: { rps: submits.rps, p99: submits.p99 }, healthz, sse, decision }),
);
