// A third-party gRPC client of KalamDB: it knows only kalam.proto (no generated code of ours) and prints what the
// server answered as one JSON object, which GrpcApiIT checks.
// Usage: node grpc-client.mjs PROTO_FILE HOST:PORT ALICE_PASSWORD BOB_PASSWORD WORKER_PASSWORD
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import reflection from 'grpc-reflection-js';
import path from 'node:path';

const [,, protoFile, addr, alicePw, bobPw, workerPw] = process.argv;
const includeDir = path.resolve(path.dirname(protoFile), '..', '..');
const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(protoFile,
  { keepCase: true, longs: String, defaults: true, oneofs: true, includeDirs: [includeDir] }));
const client = new pkg.kalamdb.v1.KalamService(addr, grpc.credentials.createInsecure());

// One call; resolves to {ok, out} or {ok:false, code (status name), message, trailer (kalamdb-error-code)}.
function call(method, request, token, deadlineMs = 10000) {
  return new Promise(resolve => {
    const md = new grpc.Metadata();
    if (token !== undefined) md.set('authorization', token);
    client[method](request, md, { deadline: Date.now() + deadlineMs }, (err, out) => {
      if (!err) { resolve({ ok: true, out }); return; }
      resolve({ ok: false, code: grpc.status[err.code], message: err.details,
        trailer: err.metadata?.get('kalamdb-error-code')?.[0] ?? null });
    });
  });
}
const bearer = t => 'Bearer ' + t;
// google.protobuf.Value as proto-loader gives it back to plain JSON. proto-loader takes the well-known types from
// protobufjs's built-in copies, whose field names stay camelCase (stringValue) even with keepCase.
const plain = v => v.kind === 'nullValue' ? null
  : v.kind === 'listValue' ? v.listValue.values.map(plain)
  : v.kind === 'structValue' ? Object.fromEntries(Object.entries(v.structValue.fields).map(([k, x]) => [k, plain(x)]))
  : v[v.kind];
const str = s => ({ stringValue: s });
const rows = r => r.ok ? r.out.results[0].rows.map(row => row.values.map(plain)) : r;
const result = r => r.ok ? { ...r.out.results[0], rows: rows(r) } : r;

const out = {};
out.services = await new reflection.Client(addr, grpc.credentials.createInsecure()).listServices();

const alice = await call('Login', { user: 'alice', password: alicePw });
const bob = await call('Login', { user: 'bob', password: bobPw });
out.login = { ok: alice.ok, role: alice.out?.user?.role, token: !!alice.out?.access_token };
out.wrongPassword = await call('Login', { user: 'alice', password: 'not-her-password' });
const a = bearer(alice.out.access_token), b = bearer(bob.out.access_token);

out.insert = result(await call('ExecuteSql', {
  sql: 'INSERT INTO chat.messages (thread_id, role, content, created_at) VALUES ($1, $2, $3, NOW())',
  params: [str('t42'), str('user'), str('hello from grpc')] }, a));
await call('ExecuteSql', { sql: "INSERT INTO chat.messages (thread_id, role, content) VALUES ('t42', 'user', 'bob says hi')" }, b);
out.aliceSelect = result(await call('ExecuteSql', {
  sql: 'SELECT id, thread_id, content, created_at FROM chat.messages WHERE thread_id = $1', params: [str('t42')] }, a));
out.bobSelect = result(await call('ExecuteSql', {
  sql: 'SELECT id, thread_id, content FROM chat.messages WHERE thread_id = $1', params: [str('t42')] }, b));

out.errors = {};
for (const [name, sql] of Object.entries(JSON.parse(process.env.KALAM_BAD_STATEMENTS))) {
  out.errors[name] = await call('ExecuteSql', { sql }, a);
}
out.noToken = await call('ExecuteSql', { sql: 'SELECT 1 AS one' });
out.badToken = await call('ExecuteSql', { sql: 'SELECT 1 AS one' }, 'Bearer not.a.token');
out.notBearer = await call('ExecuteSql', { sql: 'SELECT 1 AS one' }, alice.out.access_token);
// topics: a service user consumes what the inserts above produced, acks, and the group has nothing left
const worker = bearer((await call('Login', { user: 'worker', password: workerPw })).out.access_token);
const consume = { topic: 'chat.grpc_events', group_id: 'g', start: 'earliest', limit: 10 };
out.consumed = await call('Consume', consume, worker);
const offsets = out.consumed.ok ? out.consumed.out.messages.map(m => plain({ kind: 'structValue', structValue: m })) : [];
out.consumedMessages = offsets;
const last = offsets.length ? Math.max(...offsets.map(m => m.offset)) : 0;
out.acked = await call('Ack', { topic: 'chat.grpc_events', group_id: 'g', partition_id: offsets[0]?.partition_id ?? 0,
  upto_offset: String(last) }, worker);
out.consumedAgain = await call('Consume', consume, worker);
out.userConsume = await call('Consume', consume, a);
out.missingTopic = await call('Consume', { ...consume, topic: 'chat.nope' }, worker);
// a deadline cancels the statement: worker (no statement timeout, one statement in flight) runs a query of minutes
// with a 1 s deadline, then SELECT 1 is admitted again only once that statement has stopped in the engine
const heavyStarted = Date.now();
out.heavy = await call('ExecuteSql', { sql: process.env.KALAM_HEAVY_SQL }, worker, 1000);
out.heavy.ms = Date.now() - heavyStarted;
out.freed = false;
out.refusedWhileRunning = 0;
for (const until = Date.now() + 20000; Date.now() < until;) {
  const r = await call('ExecuteSql', { sql: 'SELECT 1 AS one' }, worker);
  if (r.ok) { out.freed = true; break; }
  out.refusedWhileRunning++;
  out.lastRefusal = r;
  await new Promise(res => setTimeout(res, 100));
}
console.log(JSON.stringify(out));
client.close();
process.exit(0);
