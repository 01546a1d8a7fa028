import { Testing } from 'cdktf';
import { PolicyTesting, ServiceContainer } from '../../lib';
import { newStack } from '../helpers';

// Its own file: jest gives each file a fresh global object, where no test has applied the pack yet.
test('with the pack applied nowhere in the process, a stack of the library gets no warning about it', () => {
  const stack = newStack();
  new ServiceContainer(stack, 'web', { image: 'nginx:latest' });
  Testing.synth(stack, true);
  expect(PolicyTesting.annotations(stack)).toEqual([]);
});
