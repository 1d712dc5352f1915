import '../style.css';
import { mountPage } from '../ui.js';

const page = mountPage({ title: 'Coming soon', blurb: 'This task has not landed yet.', apiCall: '' });
page.setStatus('This task is not available yet.');
