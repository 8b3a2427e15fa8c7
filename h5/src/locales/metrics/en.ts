import type { MetricsMessages } from './zh-CN';

/** 数据 (the figures: KPI cards, the per-shop trend, 成员 claims, top SKUs). English. */
const metrics: MetricsMessages = {
  metrics: {
    title: 'Data',
    defs: {
      gmv: { label: 'GMV', definition: 'Total of the orders created that day (corp time zone), without orders cancelled before shipping' },
      orders: { label: 'Orders', definition: 'Orders created that day, without those cancelled before shipping' },
      aov: { label: 'Avg. order value', definition: 'GMV ÷ orders' },
      units: { label: 'Units sold', definition: 'Items in the orders created that day, without orders cancelled before shipping' },
      refund_amount: { label: 'Refunds', definition: 'Total of the refunds completed that day (counted when the refund went through)' },
      refunded_orders: { label: 'Refunded orders', definition: 'Orders whose refund was completed that day' },
      refund_rate: { label: 'Refund rate', definition: 'Refunded orders ÷ shipped orders' },
      net_gmv: { label: 'Net GMV', definition: 'GMV − refunds' },
      shipped_orders: { label: 'Shipped orders', definition: 'Orders handed to the carrier that day' },
      on_time_rate: { label: 'On-time shipping', definition: 'Orders handed to the carrier before their ship-by time ÷ orders shipped that day' },
      claimed_orders: { label: 'Orders claimed', definition: 'Orders first claimed or assigned that day' },
      claim_minutes: { label: 'Avg. time to claim', definition: 'Average minutes from an order being created to its first claim or assignment' },
      cases_opened: { label: 'New cases', definition: 'After-sales cases opened that day (returns, refund requests and complaints logged by hand)' },
      first_response_minutes: {
        label: 'Avg. first response',
        definition:
          'Average minutes from a case being opened to a member first handling it (first changing its state; a change by the platform does not count), in calendar time; counted on the day it was handled, per member against who handled it',
      },
      resolved_cases: {
        label: 'Cases resolved',
        definition: 'Cases resolved or closed that day (a reopened case counts when it is resolved again), per member against its assignee then',
      },
      resolution_minutes: {
        label: 'Avg. time to resolve',
        definition:
          'Average minutes from a case being opened to it being resolved or closed, in calendar time (waiting for the buyer or the platform included), on the day it was resolved',
      },
      sla_breaches: {
        label: 'SLA breaches',
        definition:
          'Deadlines missed that day (first response, resolution and the platform’s deadlines; each deadline at most once), per member against the assignee then',
      },
      checklists_completed: { label: 'Checklists completed', definition: 'Shop SOP checklists completed that day' },
      checklist_overdue: {
        label: 'Overdue checklist steps',
        definition: 'Steps of shop SOP checklists that became overdue that day, per member against the step’s owner',
      },
    },
    empty: 'No data yet: figures appear the day after orders sync',
    loadFailed: 'Could not load the figures',
    range: {
      '7d': '7 days',
      '30d': '30 days',
      '90d': '90 days',
      custom: 'Custom',
      pick: 'Choose a date range',
      span: '{from} to {to}',
      days: '{n} day | {n} days',
    },
    shop: { label: 'Shop', all: 'All shops' },
    granularity: { day: 'Daily', week: 'Weekly' },
    kpi: {
      title: 'Key figures',
      help: 'How {name} is counted',
      ok: 'Got it',
      trend: '{name} by day',
    },
    chart: {
      title: 'By shop',
      metric: 'Metric',
      weekly: 'Weekly totals, dated by each Monday',
      empty: 'No figures for this metric in this period',
      failed: 'Could not load the chart',
      currency: 'Currency {currency}',
    },
    members: {
      title: 'Claims by member',
      member: 'Member',
      claimed: 'Orders claimed',
      minutes: 'Avg. time to claim',
      empty: 'No orders were claimed in this period',
    },
    skus: {
      title: 'Top SKUs',
      subtitle: 'By units sold',
      units: '{n} unit | {n} units',
      empty: 'Nothing was sold in this period',
    },
    units: {
      minutes: '{n} min',
      hoursMinutes: '{h} h {m} min',
    },
  },
};

export default metrics;
