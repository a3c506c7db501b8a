// Public API of @nocturne/adapters-fs.
export {
  createFsAdapter,
  FsAdapter,
  type FsAdapterOptions,
  type FsWarning,
  type MountFolderOptions,
} from "./fs-adapter.js";
export { fsPathProblem } from "./store-folder.js";
