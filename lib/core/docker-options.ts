/** The bridge driver option that turns off traffic between the containers of a network (`--icc=false`). */
export const ENABLE_ICC_OPTION = 'com.docker.network.bridge.enable_icc';
