import { backflow } from '../shared/apis/backflow.js';
import { createHandler } from '../shared/handler.js';

/** Reports a car's exit (end_time) to tmall.popupstore.park.backflow. */
export const api = backflow('leave');
export const handler = createHandler(api);
