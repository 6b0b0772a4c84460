/**
 * Fastify's own per-request log lines, made one line per request: when it completes,
 * with its method, path, status and duration (as every stack logs them). Only what
 * identifies the request is logged: headers may carry credentials.
 */
import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

export class RequestLog extends LogController {
  /** Nothing on arrival: the line written on completion says it all. */
  override incomingRequest(): void {
    // One line per request, not two.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const entry = {
      // The request id is on every line already, as `reqId`.
      req: { method: request.method, url: request.url },
      res: { statusCode: reply.statusCode },
      responseTime: reply.elapsedTime,
    };
    if (error) {
      // The response itself failed (such as a client gone mid-body).
      reply.log.error({ ...entry, err: error }, "request errored");
    } else {
      reply.log.info(entry, "request completed");
    }
  }
}
