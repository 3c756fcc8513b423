import './mb-admin.js';
