import fp from 'fastify-plugin';

/**
 * While the server is closing, answer in-flight requests with
 * `Connection: close`, so keep-alive sockets end with their last response
 * instead of holding shutdown open until they time out.
 */
export const gracefulClose = fp(async (app) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('Connection', 'close');
  });
});
