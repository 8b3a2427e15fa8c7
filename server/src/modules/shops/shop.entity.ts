import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ShopStatus } from '@shopcrew/shared';
import { epochMs } from '../../db/columns';

/**
 * A linked marketplace shop and its tokens. The tokens are sealed (SecretBox, purpose per column); `tokenVersion`
 * grows with each new pair, so a refresh can tell that another instance already refreshed while it waited for the
 * per-shop lock. Shopee: access token 4 h, refresh token 30 days and single use, authorization 365 days
 * (https://open.shopee.com/developer-guide/20).
 */
@Entity('shops')
export class Shop {
  @PrimaryColumn({ name: 'shop_id', type: 'varchar', length: 32 })
  shopId!: string;

  @Column({ type: 'varchar', length: 16 })
  platform!: 'shopee';

  @Column({ type: 'varchar', length: 191, default: '' })
  name!: string;

  @Column({ type: 'varchar', length: 8, default: '' })
  region!: string;

  @Column({ type: 'varchar', length: 8, default: '' })
  currency!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: ShopStatus;

  @Column({ name: 'auth_expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  authExpiresAt!: number | null;

  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  @Column({ name: 'refresh_token', type: 'text' })
  refreshToken!: string;

  @Column({ name: 'access_expires_at', type: 'bigint', transformer: epochMs })
  accessExpiresAt!: number;

  @Column({ name: 'token_version', type: 'int', default: 1 })
  tokenVersion!: number;

  /** manual = the claim pool; round_robin = given in turn to on-duty members who may claim, each under `assignmentCap` open orders. */
  @Column({ name: 'assignment_mode', type: 'varchar', length: 16, default: 'manual' })
  assignmentMode!: 'manual' | 'round_robin';

  @Column({ name: 'assignment_cap', type: 'int', default: 20 })
  assignmentCap!: number;

  @Column({ name: 'linked_by', type: 'varchar', length: 64 })
  linkedBy!: string;

  @Column({ name: 'linked_at', type: 'bigint', transformer: epochMs })
  linkedAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: number;
}

/** The `state` of a shop authorization link: single use, 10 minutes, bound to the owner and the browser that started it. */
@Entity('shop_link_states')
export class ShopLinkState {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  state!: string;

  @Column({ type: 'varchar', length: 64 })
  userid!: string;

  @Column({ name: 'browser_hash', type: 'varchar', length: 64 })
  browserHash!: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;
}
