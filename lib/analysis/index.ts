export type { ContainerModel, IContainerConstruct, NetworkAttachmentModel, WorkloadKind } from './model';
export { StackModel } from './model';
export type { StackAnnotation } from './annotations';
