import { backflow } from '../shared/apis.js';
import { createHandler } from '../shared/handler.js';

/** Reports a car's arrival (start_time) to tmall.popupstore.park.backflow. */
export const handler = createHandler(backflow('arrive'));
