declare function loadAddon(): unknown;
declare namespace loadAddon {
  /** The prebuilds/ folder name for this platform: linux-x64, linux-arm64-musl, darwin-arm64, win32-x64. */
  function prebuildTag(): string;
  /** The prebuilt binary for this platform in the package, or null when none is shipped. */
  function prebuiltPath(): string | null;
  /** The file the addon was loaded from, null before it is loaded. */
  function loadedFrom(): string | null;
}
export = loadAddon;
