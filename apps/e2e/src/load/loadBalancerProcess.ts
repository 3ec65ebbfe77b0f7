// The load balancer in a process of its own (`LB_BACKENDS=port,port,…`): in the load run it proxies every
// frame of every charger, and sharing an event loop with the chargers would add its queueing to theirs.
import { LoadBalancer } from '../support/loadBalancer.js';

const backends = (process.env.LB_BACKENDS ?? '').split(',').filter(Boolean).map(Number);
const lb = new LoadBalancer(backends);
const port = await lb.listen();
process.send?.({ port });
process.on('disconnect', () => void lb.close().finally(() => process.exit(0)));
