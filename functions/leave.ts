import { createHandler } from '../shared/handler.js';
import { backflow } from '../shared/schemas/backflow.js';

/** Reports a car's exit (end_time) to tmall.popupstore.park.backflow. */
export const api = backflow('leave');
export const handler = createHandler(api);
