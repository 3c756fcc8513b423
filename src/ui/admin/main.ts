import './mb-admin.js';
import './mb-disk-use.js';
