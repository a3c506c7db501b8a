// Public API of @nocturne/adapters-fs.
export {
  createFsAdapter,
  FsAdapter,
  type FsAdapterOptions,
  type FsWarning,
  type MountFolderOptions,
} from "./fs-adapter.js";
