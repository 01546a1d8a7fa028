import { ValidationError } from '../core/errors';

/** A rule for the nodes a service's tasks may run on (`docker service create --constraint`). */
export class PlacementConstraint {
  /** Only managers (`node.role==manager`), e.g. for a database whose volume lives on a manager. */
  public static readonly MANAGER = new PlacementConstraint('node.role==manager');

  /** Only workers (`node.role==worker`). */
  public static readonly WORKER = new PlacementConstraint('node.role==worker');

  /** Nodes whose label `key` is `value` (`node.labels.KEY==VALUE`), set with `docker node update --label-add`. */
  public static nodeLabel(key: string, value: string): PlacementConstraint {
    return PlacementConstraint.of(`node.labels.${key}==${value}`);
  }

  /** Any constraint Swarm understands: `ATTRIBUTE==VALUE` or `ATTRIBUTE!=VALUE`, e.g. `node.platform.os==linux`. */
  public static of(expression: string): PlacementConstraint {
    if (!/^(node|engine)\.[A-Za-z0-9_.-]+\s*(==|!=)\s*\S+$/.test(expression)) {
      throw new ValidationError(
        'PlacementConstraint',
        `"${expression}" is not a placement constraint; write ATTRIBUTE==VALUE or ATTRIBUTE!=VALUE with a node. or ` +
          'engine. attribute, e.g. "node.role==manager" or "node.labels.zone==a".',
      );
    }
    return new PlacementConstraint(expression);
  }

  private constructor(public readonly expression: string) {}
}
