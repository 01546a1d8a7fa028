import { Healthcheck } from '../container/healthcheck';
import { Duration } from '../core/duration';

/** PostgreSQL's data directory in the official image and in the local one. */
export const POSTGRES_DATA = '/var/lib/postgresql/data';

/**
 * redis and db answer their healthchecks every second: dependants are created as soon as the engine reports
 * healthy (traces in docs/bench.md); start_interval would be better, but Engine 20.10 ignores it and every plan
 * would show a diff. db keeps a 60 s budget (60 retries) for its first start.
 */
export const REDIS_HEALTHCHECK = Healthcheck.command(['redis-cli', 'ping'], { interval: Duration.seconds(1) });
export const DB_HEALTHCHECK = Healthcheck.shell('pg_isready -U postgres -h 127.0.0.1', { interval: Duration.seconds(1), retries: 60 });
