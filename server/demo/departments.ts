/**
 * The county government departments that own the demo datasets (Deqing's bureau names).
 */
import type { DemoDepartment } from './types.ts';

/** Departments, by id. */
export const DEPARTMENTS: readonly DemoDepartment[] = [
  { id: 'natural-resources-planning', nameZh: '自然资源和规划局', nameEn: 'Bureau of Natural Resources and Planning' },
  { id: 'ecology-environment', nameZh: '生态环境分局', nameEn: 'Ecology and Environment Branch Bureau' },
  { id: 'agriculture-rural', nameZh: '农业农村局', nameEn: 'Bureau of Agriculture and Rural Affairs' },
  { id: 'water-resources', nameZh: '水利局', nameEn: 'Water Resources Bureau' },
  { id: 'emergency-management', nameZh: '应急管理局', nameEn: 'Emergency Management Bureau' },
  { id: 'economy-it', nameZh: '经济和信息化局', nameEn: 'Bureau of Economy and Information Technology' },
  { id: 'commerce-investment', nameZh: '商务局（投资促进局）', nameEn: 'Bureau of Commerce (Investment Promotion)' },
  { id: 'housing-construction', nameZh: '住房和城乡建设局', nameEn: 'Bureau of Housing and Urban-Rural Development' },
  { id: 'transport', nameZh: '交通运输局', nameEn: 'Transport Bureau' },
  { id: 'health', nameZh: '卫生健康局', nameEn: 'Health Bureau' },
  { id: 'education', nameZh: '教育局', nameEn: 'Education Bureau' },
  { id: 'civil-affairs', nameZh: '民政局', nameEn: 'Civil Affairs Bureau' },
  { id: 'statistics', nameZh: '统计局', nameEn: 'Statistics Bureau' },
  { id: 'big-data', nameZh: '大数据发展管理局', nameEn: 'Big Data Development Administration' },
  { id: 'public-security', nameZh: '公安局', nameEn: 'Public Security Bureau' },
  { id: 'culture-tourism', nameZh: '文化和广电旅游体育局', nameEn: 'Bureau of Culture, Radio, Television, Tourism and Sports' },
  { id: 'market-supervision', nameZh: '市场监督管理局', nameEn: 'Market Supervision Administration' },
  { id: 'meteorology', nameZh: '气象局', nameEn: 'Meteorological Bureau' },
];

/** Department ids, as a type. */
export type DepartmentId =
  | 'natural-resources-planning' | 'ecology-environment' | 'agriculture-rural' | 'water-resources' | 'emergency-management'
  | 'economy-it' | 'commerce-investment' | 'housing-construction' | 'transport' | 'health' | 'education' | 'civil-affairs'
  | 'statistics' | 'big-data' | 'public-security' | 'culture-tourism' | 'market-supervision' | 'meteorology';
