export * from './voting-app';
export * from './images';
export * from './segmentation';
export * from './voting-app-props';
