// @ondevice/core/worker: tasks in a Web Worker with the same API (what task packages use to ship
// their workers), and the typed page <-> worker channel under it.
export type {
  CallOptions,
  ErrorClass,
  HandlerContext,
  Handlers,
  SerializedError,
  TaskWorkerOptions,
  TransferableObject,
  WebWorker,
  WorkerScope,
} from './rpc.js';
export { reviveError, serializeError, serve, TaskWorker, WorkerTaskError } from './rpc.js';
export type { RemoteTasks } from './remote.js';
export {
  remoteTasks,
  routed,
  routedFactory,
  serveTasks,
  tasksRunInWorker,
  transferToWorker,
} from './remote.js';
