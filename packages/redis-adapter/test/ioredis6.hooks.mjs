// Module resolve hook (see ioredis6.register.mjs): the bare specifier 'ioredis' resolves to ioredis 6.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier === 'ioredis' ? 'ioredis6' : specifier, context);
}
