import { SINGLE_BLOCKS } from '../../lib/analysis/plan-values';
import { providerBlocks } from './provider-schema';

describe('plan values in document terms', () => {
  test('the single blocks are those of the objects the model reads that hold at most one element', () => {
    const modules = ['container', 'service', 'network', 'image', 'volume', 'secret', 'data-docker-network', 'data-docker-image'];
    const single = providerBlocks(modules)
      .filter((b) => b.single)
      .map((b) => b.name)
      .sort();
    expect([...SINGLE_BLOCKS].sort()).toEqual(single);
  });
});
