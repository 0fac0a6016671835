// Child process of the gateway benchmark: a bare Fastify route answering fixed bytes, the
// ceiling for any HTTP/1.1 JSON endpoint on this machine.
import fastify from "fastify";

const [body] = process.argv.slice(2);
const app = fastify();
app.get("/static", (_req, reply) => reply.header("content-type", "application/json").send(body));
const url = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once("SIGTERM", () => process.exit(0));
