import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Response headers that make the browser a second line of defence:
 * a nonce-based CSP with no 'unsafe-inline', no framing, no referrer, HSTS,
 * isolation from other origins, and no powerful browser features.
 */
export const securityHeaders = fp(async (app) => {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true, preload: false },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header(
      'Permissions-Policy',
      'accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), ' +
        'magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(self), ' +
        'screen-wake-lock=(), usb=(), xr-spatial-tracking=()',
    );
    reply.removeHeader('x-powered-by');
    // Pages can hold case data: never let a browser or proxy keep them.
    // Static assets set their own long-lived Cache-Control.
    if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    reply.header('X-Request-Id', reply.request.id);
  });
});
