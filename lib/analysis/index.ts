export type { ContainerModel, IContainerConstruct, NetworkAttachmentModel } from './model';
export { StackModel } from './model';
export type { StackAnnotation } from './annotations';
