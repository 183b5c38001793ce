import { createHandler } from '../shared/handler.js';
import { backflow } from '../shared/schemas/backflow.js';

/** Reports a car's arrival (start_time) to tmall.popupstore.park.backflow. */
export const api = backflow('arrive');
export const handler = createHandler(api);
