import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';
import { imageBaseName } from './dkr6-unpinned-image';

/**
 * Data stores, by the last segment of the image name (`postgres`, `bitnami/mongodb`, `redis/redis-stack`), and
 * in-house images named just `db` or `database` (`voting-app-local/db`).
 */
const DATABASE_IMAGE = /postgres|postgis|timescale|mysql|mariadb|percona|mongo|redis|valkey|keydb|memcached|cassandra|scylla|couchdb|couchbase|elasticsearch|opensearch|neo4j|influxdb|clickhouse|cockroach|etcd|^db$|^database$/;

export function isDatabaseImage(image: string | undefined): boolean {
  return image !== undefined && DATABASE_IMAGE.test(imageBaseName(image).toLowerCase());
}

/** DKR16: a container that serves the host's network is one exploit away from the database on its network. */
export const DKR16_DATABASE_BESIDE_PUBLISHED_PORTS: IPolicyRule = {
  id: 'DKR16',
  name: 'database-beside-published-ports',
  level: PolicyLevel.WARNING,
  fix: 'put the database on a network shared only by the services that query it, with no published ports',
  evaluate: (c, stack) => {
    if (!isDatabaseImage(c.image)) return [];
    return c.networks.flatMap((network) => {
      const publishers = stack.containersOn(network.key).filter((other) => other !== c && other.publishesPorts);
      if (publishers.length === 0) return [];
      return [{
        findingId: network.networkName,
        problem:
          `the data store (${c.image}) shares network ${network.networkName} with containers that publish ports on ` +
          `the host: ${publishers.map((p) => p.name).join(', ')}`,
      }];
    });
  },
};
