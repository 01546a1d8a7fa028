/** The bridge driver option that turns off traffic between the containers of a network (`--icc=false`). */
export const ENABLE_ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/** The prefix of the bridge driver's options; the overlay driver ignores them. */
export const BRIDGE_OPTION_PREFIX = 'com.docker.network.bridge.';

/** The overlay driver option that encrypts traffic between swarm nodes (`docker network create --opt encrypted`). */
export const OVERLAY_ENCRYPTED_OPTION = 'encrypted';

/** The overlay driver option that fixes the network's VXLAN id; Docker reports the id it picked under it. */
export const OVERLAY_VXLAN_OPTION = 'com.docker.network.driver.overlay.vxlanid_list';
