export * from './voting-app';
export * from './images';
export * from './segmentation';
export * from './orchestrator';
export * from './voting-app-props';
