declare function loadAddon(): unknown;
export = loadAddon;
