import { defineModule } from '../../platform/module';
import { Authorizer } from './authorizer';
import { Role, RoleBinding } from './role.entity';
import { roleRoutes } from './role.routes';
import { RoleService } from './role.service';

declare module '../../platform/services' {
  interface ServiceMap {
    roles: RoleService;
    authz: Authorizer;
  }
}

/** Roles from department, tag and member bindings; ADMIN_USERIDS are always 店长. */
export const rolesModule = defineModule({
  name: 'roles',
  entities: [Role, RoleBinding],
  create: ({ config, ds, audit, services }) => {
    const roles = new RoleService(ds, services.get('org'), audit, config.ADMIN_USERIDS);
    return {
      provides: { roles, authz: new Authorizer(roles) },
      routes: roleRoutes(roles),
      subscribers: [
        {
          key: 'roles.drop-left-member',
          on: ['member.left'],
          handle: async (event, tx) => void (await roles.removeMemberBindings(String(event.payload['userid']), tx)),
        },
        {
          key: 'roles.follow-renamed-member',
          on: ['member.renamed'],
          handle: (event, tx) => roles.followRenamedMember(String(event.payload['from']), String(event.payload['to']), tx),
        },
      ],
    };
  },
});
