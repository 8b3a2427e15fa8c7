import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderStatus, TimelineKind } from '@shopcrew/shared';
import { epochMs, stringList } from '../../db/columns';

/**
 * An order as ShopCrew knows it: the marketplace's view (status, amounts, items, package) as of `marketUpdatedAt`,
 * plus the team's work (assignee, claim time). `pool` is 1 exactly while the order waits in the claim pool
 * (claimable status and nobody holds it), so the 待认领 view is one index range. Amounts are decimal strings as
 * the marketplace gave them (no float rounding at rest).
 */
@Entity('orders')
@Index('uq_orders_order_sn', ['orderSn'], { unique: true })
@Index('idx_orders_pool', ['pool', 'createdAt', 'id'])
@Index('idx_orders_assignee', ['assignee', 'createdAt', 'id'])
@Index('idx_orders_shop', ['shopId', 'createdAt', 'id'])
@Index('idx_orders_created', ['createdAt', 'id'])
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Short labels (大额, 加急 …) set by hand or by an automation rule. */
  @Column({ type: 'varchar', length: 500, default: '[]', transformer: stringList })
  tags!: string[];

  @Column({ name: 'order_sn', type: 'varchar', length: 64 })
  orderSn!: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: OrderStatus;

  @Column({ type: 'int', default: 0 })
  pool!: number;

  @Column({ type: 'varchar', length: 8 })
  currency!: string;

  @Column({ type: 'varchar', length: 32 })
  total!: string;

  @Column({ type: 'varchar', length: 191, nullable: true })
  buyer!: string | null;

  @Column({ name: 'item_count', type: 'int', default: 0 })
  itemCount!: number;

  @Column({ name: 'message_to_seller', type: 'text', nullable: true })
  messageToSeller!: string | null;

  @Column({ name: 'package_number', type: 'varchar', length: 64, nullable: true })
  packageNumber!: string | null;

  @Column({ name: 'logistics_status', type: 'varchar', length: 48, nullable: true })
  logisticsStatus!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  carrier!: string | null;

  @Column({ name: 'tracking_number', type: 'varchar', length: 64, nullable: true })
  trackingNumber!: string | null;

  @Column({ name: 'ship_by', type: 'bigint', nullable: true, transformer: epochMs })
  shipBy!: number | null;

  /** The marketplace's create_time. */
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  /** The marketplace's update_time of the state stored here: a fetched state only replaces an older one. */
  @Column({ name: 'market_updated_at', type: 'bigint', transformer: epochMs })
  marketUpdatedAt!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee!: string | null;

  @Column({ name: 'claimed_at', type: 'bigint', nullable: true, transformer: epochMs })
  claimedAt!: number | null;

  /** Whether order.created (the 新订单 card) went out: once per order. */
  @Column({ type: 'int', default: 0 })
  announced!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}

@Entity('order_items')
@Index('idx_order_items_order', ['orderId'])
export class OrderItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'order_id', type: 'int' })
  orderId!: number;

  @Column({ name: 'item_id', type: 'varchar', length: 32 })
  itemId!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  sku!: string | null;

  @Column({ type: 'varchar', length: 191, nullable: true })
  variation!: string | null;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ type: 'varchar', length: 32 })
  price!: string;
}

/** Every change and action on an order, newest last. */
@Entity('order_timeline')
@Index('idx_order_timeline_order', ['orderId', 'id'])
export class OrderTimelineEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'order_id', type: 'int' })
  orderId!: number;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: TimelineKind;

  /** A member's userid; null for the marketplace. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  actor!: string | null;

  @Column({ type: 'varchar', length: 255 })
  text!: string;

  @Column({ name: 'from_value', type: 'varchar', length: 64, nullable: true })
  from!: string | null;

  @Column({ name: 'to_value', type: 'varchar', length: 64, nullable: true })
  to!: string | null;
}

/** Who is on duty (在岗): round-robin assignment gives orders only to them. */
@Entity('order_duty')
export class OrderDuty {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  userid!: string;

  @Column({ name: 'on_duty', type: 'boolean', default: false })
  onDuty!: boolean;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}
