export type {
  ContainerModel,
  DockerModelParts,
  EngineModel,
  ImageModel,
  MountModel,
  NetworkAttachmentModel,
  NetworkModel,
  PlacementModel,
  PublishedPortModel,
  SecretModel,
  SecretMountModel,
  SwarmServiceModel,
  UpdatePolicyModel,
  VolumeModel,
  WorkloadKind,
} from './model-types';
export { PlanSide } from './model-types';
export { DockerModel } from './docker-model';
export type { IContainerConstruct } from './model';
export { StackModel } from './model';
export type { StackAnnotation } from './annotations';
