import { backflow } from '../shared/apis/backflow.js';
import { createHandler } from '../shared/handler.js';

/** Reports a car's arrival (start_time) to tmall.popupstore.park.backflow. */
export const api = backflow('arrive');
export const handler = createHandler(api);
