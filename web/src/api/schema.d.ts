// Generated from /openapi.json by `npm run api:types` (scripts/openapi-types.ts); do not edit.
export interface paths {
  '/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in with email and password; sets the HttpOnly session cookie */
    post: operations['login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End the current session */
    post: operations['logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user, their tenants with the role in each, and the CSRF token for writes */
    get: operations['getMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List flags (q searches key and description) */
    get: operations['listFlags'];
    put?: never;
    /** Create a flag */
    post: operations['createFlag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags/actions/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable many flags; answered per id */
    post: operations['enableFlags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags/actions/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable many flags; answered per id */
    post: operations['disableFlags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A flag with its last 10 audit events */
    get: operations['getFlag'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Edit description or tags (send If-Match with the version you read) */
    patch: operations['updateFlag'];
    trace?: never;
  };
  '/admin/feature-flags/{id}/actions/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable a flag */
    post: operations['enableFlag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags/{id}/actions/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable a flag (the kill switch): off for everyone, whatever its rules */
    post: operations['disableFlag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags/{id}/actions/archive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Archive a flag: it is disabled, hidden from lists and no longer evaluated */
    post: operations['archiveFlag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags/{id}/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How often the flag was evaluated in the last 24 hours (for the rollout preview) */
    get: operations['getFlagUsage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/feature-flags/{id}/rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A flag's targeting rules, in order (ETag: the flag's version) */
    get: operations['getFlagRules'];
    /** Replace the ordered rules (send If-Match with the flag version); rules owned by a rollout plan stay, after them */
    put: operations['replaceFlagRules'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/segments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List segments by name (q searches name and description) */
    get: operations['listSegments'];
    put?: never;
    /** Create a segment: constraints on context attributes, all of which must hold */
    post: operations['createSegment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/segments/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A segment with the flags whose rules use it */
    get: operations['getSegment'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Edit name, description or constraints (send If-Match with the version you read) */
    patch: operations['updateSegment'];
    trace?: never;
  };
  '/admin/segments/{id}/actions/archive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Archive a segment (409 while a rule uses it) */
    post: operations['archiveSegment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/evaluations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Playground: evaluate every flag (or one) for a context and explain each result */
    post: operations['explainEvaluations'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/audit-events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit log of this tenant, newest first */
    get: operations['listAuditEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/api-tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List API tokens (never their secrets) */
    get: operations['listApiTokens'];
    put?: never;
    /** Create a token; the secret is in this response only */
    post: operations['createApiToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/api-tokens/{id}/actions/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke a token at once */
    post: operations['revokeApiToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Switches in force for this tenant (the UI shows a banner when writes are off) */
    get: operations['getSettings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/settings/actions/disable-writes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Switch off every admin write in this tenant (reads and evaluation keep working) */
    post: operations['disableWrites'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/settings/actions/enable-writes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Turn admin writes back on for this tenant */
    post: operations['enableWrites'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/settings/actions/pause-rollouts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause all rollouts, in every tenant: the worker holds every plan until resumed (platform admins) */
    post: operations['pauseRollouts'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/settings/actions/resume-rollouts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Let rollouts move again; due steps are taken on the next reconciler pass (platform admins) */
    post: operations['resumeRollouts'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Ready-made stage lists to start a plan from */
    get: operations['listRolloutTemplates'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List rollout plans, newest first (filters: status, flagId) */
    get: operations['listRolloutPlans'];
    put?: never;
    /** Create a draft plan for a flag (stages: strictly increasing percents within (0, 100], holds ≥ 0 s) */
    post: operations['createRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A plan with its transitions, the next due time, its queued job and the actions the caller may take now */
    get: operations['getRolloutPlan'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Edit a draft plan (send If-Match with the version you read) */
    patch: operations['updateRolloutPlan'];
    trace?: never;
  };
  '/admin/rollout-plans/{id}/guard-checks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every check of the plan's guards in one stage (default: the current one), oldest first */
    get: operations['listGuardChecks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start a draft plan: it applies the first stage now, or is scheduled for its start time */
    post: operations['startRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause a plan; it holds its current percent until resumed */
    post: operations['pauseRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume a paused plan; the current stage holds again from now */
    post: operations['resumeRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/advance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Apply the next stage now, skipping the rest of the hold (a gated stage then awaits approval) */
    post: operations['advanceRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/rollback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Go back one stage; the plan is left paused */
    post: operations['rollbackRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/abort': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End the plan and set the flag's percent to the plan's rollback percent */
    post: operations['abortRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run a failed plan again: its next step is due at once */
    post: operations['retryRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/rollout-plans/{id}/actions/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a plan awaiting approval (an operator other than its author): it applies the next stage */
    post: operations['approveRolloutPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The in-app inbox: rollout and kill switch events, newest first */
    get: operations['listNotifications'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/notifications/unread-count': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How many inbox entries are unread */
    get: operations['getUnreadNotificationCount'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/notifications/actions/mark-all-read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark every inbox entry read */
    post: operations['markAllNotificationsRead'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/notifications/{id}/actions/mark-read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark one inbox entry read */
    post: operations['markNotificationRead'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List webhooks (never their secrets) */
    get: operations['listWebhooks'];
    put?: never;
    /** Add a webhook: events are POSTed to the URL, signed with HMAC-SHA256 of "<timestamp>.<body>" using the secret */
    post: operations['createWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One webhook */
    get: operations['getWebhook'];
    put?: never;
    post?: never;
    /** Delete a webhook and its delivery log */
    delete: operations['deleteWebhook'];
    options?: never;
    head?: never;
    /** Change a webhook (send If-Match with the version you read) */
    patch: operations['updateWebhook'];
    trace?: never;
  };
  '/admin/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A webhook's delivery log, newest first, with each delivery's attempts and last failure */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ofrep/v1/track': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Report 1–1000 tracking events (OpenFeature track); guarded rollouts compare their arms with them
     * @description Each event counts, in the current stage of every guarded plan of the tenant whose guards read its name, for the unit its context names (the plan’s stickiness attribute). Events no guarded plan reads are accepted and dropped. All events are valid or none is kept.
     */
    post: operations['ofrepTrack'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ofrep/v1/evaluate/flags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Evaluate every flag of the token’s tenant for a context (ETag; If-None-Match answers 304) */
    post: operations['ofrepEvaluateFlags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ofrep/v1/evaluate/flags/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Evaluate one flag for a context */
    post: operations['ofrepEvaluateFlag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Actor: {
      /** @enum {string} */
      type: 'user' | 'token' | 'system';
      id: string;
      label: string;
    };
    ApiToken: {
      id: string;
      name: string;
      /** @enum {string} */
      scope: 'admin' | 'evaluation';
      role: ('viewer' | 'editor' | 'operator' | 'admin') | null;
      prefix: string;
      createdBy: string;
      createdAt: string;
      lastUsedAt: string | null;
      expiresAt: string | null;
      revokedAt: string | null;
    };
    AuditEvent: {
      id: string;
      tenantId: string | null;
      actor: components['schemas']['Actor'];
      action: string;
      resourceType: string;
      resourceId: string;
      before: unknown;
      after: unknown;
      requestId: string | null;
      jobId: string | null;
      idempotencyKey: string | null;
      reason: string | null;
      createdAt: string;
    };
    BulkFlagResult: {
      items: {
        id: string;
        status: number;
        flag?: components['schemas']['Flag'];
        error?: {
          code: string;
          message: string;
        };
      }[];
    };
    ConstraintExplanation: {
      attribute: string;
      /** @enum {string} */
      operator:
        | 'in'
        | 'not_in'
        | 'eq'
        | 'neq'
        | 'starts_with'
        | 'ends_with'
        | 'contains'
        | 'num_gt'
        | 'num_gte'
        | 'num_lt'
        | 'num_lte'
        | 'semver_eq'
        | 'semver_gt'
        | 'semver_lt'
        | 'date_after'
        | 'date_before';
      values: string[];
      actual: string | number | boolean | null;
      holds: boolean;
    };
    CreatedApiToken: {
      token: components['schemas']['ApiToken'];
      secret: string | null;
    };
    Error: {
      error: {
        code: string;
        message: string;
        details?: ({
          path?: string;
          message: string;
        } & {
          [key: string]: unknown;
        })[];
        requestId: string;
      };
    };
    FailureReason: {
      code: string;
      message: string;
      attempt: number;
      at: string;
    };
    Flag: {
      id: string;
      key: string;
      description: string;
      enabled: boolean;
      tags: string[];
      version: number;
      archivedAt: string | null;
      createdAt: string;
      updatedAt: string;
    };
    FlagDetail: {
      id: string;
      key: string;
      description: string;
      enabled: boolean;
      tags: string[];
      version: number;
      archivedAt: string | null;
      createdAt: string;
      updatedAt: string;
      recentAuditEvents: components['schemas']['AuditEvent'][];
    };
    FlagExplanation: {
      flagId: string;
      key: string;
      enabled: boolean;
      version: number;
      value: boolean;
      /** @enum {string} */
      reason: 'DISABLED' | 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'ERROR';
      /** @enum {string} */
      variant: 'on' | 'off';
      ruleIndex: number | null;
      /** @enum {string} */
      errorCode?: 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT';
      errorDetails?: string;
      rules: components['schemas']['RuleExplanation'][];
    };
    FlagRules: {
      flagId: string;
      flagKey: string;
      version: number;
      rules: components['schemas']['Rule'][];
    };
    FlagUsage: {
      flagId: string;
      windowHours: number;
      evaluations: number;
      lastEvaluatedAt: string | null;
    };
    GuardChecks: {
      stage: number;
      checks: {
        guard: number;
        /** @enum {string} */
        kind: 'event_share' | 'event_mean' | 'prometheus' | 'sample_ratio';
        subject: string;
        /** @enum {string} */
        verdict: 'insufficient_data' | 'healthy' | 'regression' | 'inconclusive';
        stage: number;
        percent: number;
        checkedAt: string;
        arms?: {
          treatment: {
            units: number;
            value: number | null;
          };
          control: {
            units: number;
            value: number | null;
          };
        };
        interval?: {
          estimate: number;
          lower: number;
          upper: number;
        } | null;
        threshold?: number;
        value?: number | null;
        note?: string;
        seq: number;
      }[];
    };
    GuardEvidence: {
      guard: number;
      /** @enum {string} */
      kind: 'event_share' | 'event_mean' | 'prometheus' | 'sample_ratio';
      subject: string;
      /** @enum {string} */
      verdict: 'insufficient_data' | 'healthy' | 'regression' | 'inconclusive';
      stage: number;
      percent: number;
      checkedAt: string;
      arms?: {
        treatment: {
          units: number;
          value: number | null;
        };
        control: {
          units: number;
          value: number | null;
        };
      };
      interval?: {
        estimate: number;
        lower: number;
        upper: number;
      } | null;
      threshold?: number;
      value?: number | null;
      note?: string;
    };
    Me: {
      user: {
        id: string;
        email: string;
        name: string;
      };
      tenants: {
        id: string;
        slug: string;
        name: string;
        /** @enum {string} */
        kind: 'merchant' | 'platform';
        /** @enum {string} */
        role: 'viewer' | 'editor' | 'operator' | 'admin';
      }[];
      csrfToken: string;
    };
    Notification: {
      id: string;
      /** @enum {string} */
      event:
        | 'plan.started'
        | 'plan.advanced'
        | 'plan.awaiting_approval'
        | 'plan.paused'
        | 'plan.failed'
        | 'plan.completed'
        | 'plan.aborted'
        | 'plan.guard_tripped'
        | 'flag.kill_switch';
      title: string;
      payload: {
        [key: string]: unknown;
      };
      createdAt: string;
      readAt: string | null;
      readBy: string | null;
    };
    OfrepBulkEvaluation: {
      flags: (components['schemas']['OfrepEvaluation'] | components['schemas']['OfrepFlagError'])[];
    };
    OfrepError: {
      key?: string;
      /** @enum {string} */
      errorCode?: 'PARSE_ERROR' | 'INVALID_CONTEXT' | 'FLAG_NOT_FOUND' | 'GENERAL';
      errorDetails: string;
    };
    OfrepEvaluation: {
      key: string;
      value: boolean;
      /** @enum {string} */
      reason: 'DISABLED' | 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'ERROR';
      /** @enum {string} */
      variant: 'on' | 'off';
      metadata: {
        version: number;
      };
    };
    OfrepFlagError: {
      key: string;
      /** @enum {string} */
      errorCode: 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT';
      errorDetails: string;
    };
    OfrepTrackAccepted: {
      accepted: number;
    };
    OfrepTrackError: {
      /** @enum {string} */
      errorCode?: 'PARSE_ERROR' | 'INVALID_CONTEXT' | 'GENERAL';
      errorDetails: string;
      details?: {
        path: string;
        message: string;
      }[];
    };
    PlanTransition: {
      seq: number;
      event: string;
      fromStatus: string;
      toStatus: string;
      fromStage: number;
      toStage: number;
      fromPercent: number | null;
      toPercent: number | null;
      actor: components['schemas']['Actor'];
      jobId: string | null;
      attempt: number | null;
      reason: string | null;
      evidence: components['schemas']['GuardEvidence'] | null;
      at: string;
    };
    RolloutPlan: {
      id: string;
      flagId: string;
      flagKey: string;
      /** @enum {string} */
      status: 'draft' | 'scheduled' | 'running' | 'awaiting_approval' | 'paused' | 'failed' | 'completed' | 'aborted';
      stages: {
        percent: number;
        holdSeconds: number;
        requiresApproval: boolean;
      }[];
      stickiness: string;
      currentStage: number;
      currentPercent: number | null;
      startAt: string | null;
      nextAdvanceAt: string | null;
      rollbackPercent: number;
      pauseReason:
        | (
            | 'MANUAL'
            | 'KILL_SWITCH'
            | 'ROLLED_BACK'
            | 'GUARD_REGRESSION'
            | 'SAMPLE_RATIO_MISMATCH'
            | 'GUARD_INCONCLUSIVE'
            | 'INSUFFICIENT_DATA'
          )
        | null;
      lastFailure: components['schemas']['FailureReason'] | null;
      guards: (
        | {
            /** @enum {string} */
            kind: 'event_share' | 'event_mean';
            event: string;
            maxRelativeIncrease: number;
            /** @default 200 */
            minUnitsPerArm: number;
            /**
             * @default lower_is_better
             * @enum {string}
             */
            direction: 'lower_is_better' | 'higher_is_better';
            /**
             * @default pause
             * @enum {string}
             */
            onRegression: 'pause' | 'rollback';
          }
        | {
            /** @constant */
            kind: 'prometheus';
            query: string;
            max?: number;
            min?: number;
            /**
             * @default pause
             * @enum {string}
             */
            onRegression: 'pause' | 'rollback';
          }
      )[];
      guardCheckSeconds: number;
      /** @enum {string} */
      onInsufficientData: 'pause' | 'advance';
      maxHoldSeconds: number | null;
      attempts: number;
      createdBy: components['schemas']['Actor'];
      approvedBy: components['schemas']['Actor'] | null;
      version: number;
      createdAt: string;
      updatedAt: string;
    };
    RolloutPlanDetail: {
      id: string;
      flagId: string;
      flagKey: string;
      /** @enum {string} */
      status: 'draft' | 'scheduled' | 'running' | 'awaiting_approval' | 'paused' | 'failed' | 'completed' | 'aborted';
      stages: {
        percent: number;
        holdSeconds: number;
        requiresApproval: boolean;
      }[];
      stickiness: string;
      currentStage: number;
      currentPercent: number | null;
      startAt: string | null;
      nextAdvanceAt: string | null;
      rollbackPercent: number;
      pauseReason:
        | (
            | 'MANUAL'
            | 'KILL_SWITCH'
            | 'ROLLED_BACK'
            | 'GUARD_REGRESSION'
            | 'SAMPLE_RATIO_MISMATCH'
            | 'GUARD_INCONCLUSIVE'
            | 'INSUFFICIENT_DATA'
          )
        | null;
      lastFailure: components['schemas']['FailureReason'] | null;
      guards: (
        | {
            /** @enum {string} */
            kind: 'event_share' | 'event_mean';
            event: string;
            maxRelativeIncrease: number;
            /** @default 200 */
            minUnitsPerArm: number;
            /**
             * @default lower_is_better
             * @enum {string}
             */
            direction: 'lower_is_better' | 'higher_is_better';
            /**
             * @default pause
             * @enum {string}
             */
            onRegression: 'pause' | 'rollback';
          }
        | {
            /** @constant */
            kind: 'prometheus';
            query: string;
            max?: number;
            min?: number;
            /**
             * @default pause
             * @enum {string}
             */
            onRegression: 'pause' | 'rollback';
          }
      )[];
      guardCheckSeconds: number;
      /** @enum {string} */
      onInsufficientData: 'pause' | 'advance';
      maxHoldSeconds: number | null;
      attempts: number;
      createdBy: components['schemas']['Actor'];
      approvedBy: components['schemas']['Actor'] | null;
      version: number;
      createdAt: string;
      updatedAt: string;
      transitions: components['schemas']['PlanTransition'][];
      nextDueAt: string | null;
      heldByPauseAll: boolean;
      job: {
        queue: string;
        id: string;
        state: string;
        url: string;
      } | null;
      actions: {
        /** @enum {string} */
        action: 'edit' | 'start' | 'approve' | 'retry' | 'resume' | 'pause' | 'advance' | 'rollback' | 'abort';
        allowed: boolean;
        reason?: string;
      }[];
      guardStatus: {
        guards: (components['schemas']['GuardEvidence'] | null)[];
        sampleRatio: components['schemas']['GuardEvidence'] | null;
      };
    };
    RolloutTemplate: {
      id: string;
      name: string;
      stages: {
        percent: number;
        holdSeconds: number;
        /** @default false */
        requiresApproval: boolean;
      }[];
    };
    Rule:
      | {
          /** @constant */
          kind: 'tenant';
          tenantIds: string[];
        }
      | {
          /** @constant */
          kind: 'segment';
          segmentId: string;
        }
      | {
          /** @constant */
          kind: 'percent';
          percent: number;
          /** @default targetingKey */
          stickiness: string;
          groupId?: string;
          segmentId?: string;
          planId?: string;
        };
    RuleExplanation: {
      index: number;
      rule: components['schemas']['Rule'];
      /** @enum {string} */
      kind?: 'tenant' | 'segment' | 'percent';
      /** @enum {string} */
      outcome: 'match' | 'no_match' | 'missing_attribute' | 'not_evaluated';
      segmentMatched?: boolean;
      stickiness?: string;
      bucket?: number;
      threshold?: number;
      segment?: {
        id: string;
        name: string | null;
        matched: boolean;
        constraints: components['schemas']['ConstraintExplanation'][];
      };
    };
    Segment: {
      id: string;
      name: string;
      description: string;
      constraints: {
        attribute: string;
        /** @enum {string} */
        operator:
          | 'in'
          | 'not_in'
          | 'eq'
          | 'neq'
          | 'starts_with'
          | 'ends_with'
          | 'contains'
          | 'num_gt'
          | 'num_gte'
          | 'num_lt'
          | 'num_lte'
          | 'semver_eq'
          | 'semver_gt'
          | 'semver_lt'
          | 'date_after'
          | 'date_before';
        values: string[];
      }[];
      version: number;
      archivedAt: string | null;
      createdAt: string;
      updatedAt: string;
    };
    SegmentDetail: {
      id: string;
      name: string;
      description: string;
      constraints: {
        attribute: string;
        /** @enum {string} */
        operator:
          | 'in'
          | 'not_in'
          | 'eq'
          | 'neq'
          | 'starts_with'
          | 'ends_with'
          | 'contains'
          | 'num_gt'
          | 'num_gte'
          | 'num_lt'
          | 'num_lte'
          | 'semver_eq'
          | 'semver_gt'
          | 'semver_lt'
          | 'date_after'
          | 'date_before';
        values: string[];
      }[];
      version: number;
      archivedAt: string | null;
      createdAt: string;
      updatedAt: string;
      usedBy: {
        id: string;
        key: string;
      }[];
    };
    SwitchState: {
      on: boolean;
      reason: string | null;
      changedAt: string | null;
      changedBy: string | null;
    };
    TenantSettings: {
      adminWrites: {
        config: boolean;
        tenant: components['schemas']['SwitchState'];
        effective: boolean;
      };
      rolloutsPaused: components['schemas']['SwitchState'];
    };
    Webhook: {
      id: string;
      url: string;
      events: (
        | 'plan.started'
        | 'plan.advanced'
        | 'plan.awaiting_approval'
        | 'plan.paused'
        | 'plan.failed'
        | 'plan.completed'
        | 'plan.aborted'
        | 'plan.guard_tripped'
        | 'flag.kill_switch'
      )[];
      enabled: boolean;
      version: number;
      createdAt: string;
      updatedAt: string;
    };
    WebhookDelivery: {
      id: string;
      webhookId: string;
      /** @enum {string} */
      event:
        | 'plan.started'
        | 'plan.advanced'
        | 'plan.awaiting_approval'
        | 'plan.paused'
        | 'plan.failed'
        | 'plan.completed'
        | 'plan.aborted'
        | 'plan.guard_tripped'
        | 'flag.kill_switch';
      /** @enum {string} */
      status: 'pending' | 'delivered' | 'failed';
      attempts: number;
      lastStatusCode: number | null;
      lastError: string | null;
      createdAt: string;
      updatedAt: string;
      deliveredAt: string | null;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Me'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Me'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listFlags: {
    parameters: {
      query?: {
        q?: string;
        enabled?: 'true' | 'false';
        tag?: string;
        archived?: 'true' | 'false';
        rollout?: 'active';
        sort?: 'key' | '-key' | 'updatedAt' | '-updatedAt' | 'createdAt' | '-createdAt';
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Flag'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createFlag: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          key: string;
          /** @default  */
          description?: string;
          /** @default [] */
          tags?: string[];
          /** @default false */
          enabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Flag'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  enableFlags: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          ids: string[];
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkFlagResult'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  disableFlags: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          ids: string[];
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkFlagResult'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getFlag: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagDetail'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateFlag: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          description?: string;
          tags?: string[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Flag'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  enableFlag: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Flag'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  disableFlag: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Flag'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  archiveFlag: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Flag'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getFlagUsage: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagUsage'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getFlagRules: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagRules'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  replaceFlagRules: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          rules: (
            | {
                /** @constant */
                kind: 'tenant';
                tenantIds: string[];
              }
            | {
                /** @constant */
                kind: 'segment';
                segmentId: string;
              }
            | {
                /** @constant */
                kind: 'percent';
                percent: number;
                /** @default targetingKey */
                stickiness?: string;
                groupId?: string;
                segmentId?: string;
              }
          )[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagRules'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listSegments: {
    parameters: {
      query?: {
        q?: string;
        archived?: 'true' | 'false';
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Segment'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createSegment: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @default  */
          description?: string;
          constraints: {
            attribute: string;
            /** @enum {string} */
            operator:
              | 'in'
              | 'not_in'
              | 'eq'
              | 'neq'
              | 'starts_with'
              | 'ends_with'
              | 'contains'
              | 'num_gt'
              | 'num_gte'
              | 'num_lt'
              | 'num_lte'
              | 'semver_eq'
              | 'semver_gt'
              | 'semver_lt'
              | 'date_after'
              | 'date_before';
            values: string[];
          }[];
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Segment'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getSegment: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SegmentDetail'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateSegment: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          description?: string;
          constraints?: {
            attribute: string;
            /** @enum {string} */
            operator:
              | 'in'
              | 'not_in'
              | 'eq'
              | 'neq'
              | 'starts_with'
              | 'ends_with'
              | 'contains'
              | 'num_gt'
              | 'num_gte'
              | 'num_lt'
              | 'num_lte'
              | 'semver_eq'
              | 'semver_gt'
              | 'semver_lt'
              | 'date_after'
              | 'date_before';
            values: string[];
          }[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Segment'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  archiveSegment: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Segment'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  explainEvaluations: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          context: {
            [key: string]: string | number | boolean | null;
          };
          flagKey?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['FlagExplanation'][];
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listAuditEvents: {
    parameters: {
      query?: {
        resourceType?: string;
        resourceId?: string;
        actorId?: string;
        action?: string;
        since?: string;
        until?: string;
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['AuditEvent'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listApiTokens: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ApiToken'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createApiToken: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /**
           * @default admin
           * @enum {string}
           */
          scope?: 'admin' | 'evaluation';
          /** @enum {string} */
          role?: 'viewer' | 'editor' | 'operator' | 'admin';
          expiresInDays?: number;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiToken'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  revokeApiToken: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiToken'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getSettings: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSettings'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  disableWrites: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSettings'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  enableWrites: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSettings'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  pauseRollouts: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSettings'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  resumeRollouts: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSettings'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listRolloutTemplates: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['RolloutTemplate'][];
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listRolloutPlans: {
    parameters: {
      query?: {
        status?: string;
        flagId?: string;
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['RolloutPlan'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createRolloutPlan: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          flagId: string;
          stages: {
            percent: number;
            holdSeconds: number;
            /** @default false */
            requiresApproval?: boolean;
          }[];
          /** Format: date-time */
          startAt?: string;
          /** @default targetingKey */
          stickiness?: string;
          /** @default 0 */
          rollbackPercent?: number;
          /** @default [] */
          guards?: (
            | {
                /** @enum {string} */
                kind: 'event_share' | 'event_mean';
                event: string;
                maxRelativeIncrease: number;
                /** @default 200 */
                minUnitsPerArm?: number;
                /**
                 * @default lower_is_better
                 * @enum {string}
                 */
                direction?: 'lower_is_better' | 'higher_is_better';
                /**
                 * @default pause
                 * @enum {string}
                 */
                onRegression?: 'pause' | 'rollback';
              }
            | {
                /** @constant */
                kind: 'prometheus';
                query: string;
                max?: number;
                min?: number;
                /**
                 * @default pause
                 * @enum {string}
                 */
                onRegression?: 'pause' | 'rollback';
              }
          )[];
          /** @default 15 */
          guardCheckSeconds?: number;
          /**
           * @default pause
           * @enum {string}
           */
          onInsufficientData?: 'pause' | 'advance';
          /** @default null */
          maxHoldSeconds?: number | null;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getRolloutPlan: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlanDetail'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateRolloutPlan: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          stages?: {
            percent: number;
            holdSeconds: number;
            /** @default false */
            requiresApproval?: boolean;
          }[];
          startAt?: string | null;
          stickiness?: string;
          rollbackPercent?: number;
          guards?: (
            | {
                /** @enum {string} */
                kind: 'event_share' | 'event_mean';
                event: string;
                maxRelativeIncrease: number;
                /** @default 200 */
                minUnitsPerArm?: number;
                /**
                 * @default lower_is_better
                 * @enum {string}
                 */
                direction?: 'lower_is_better' | 'higher_is_better';
                /**
                 * @default pause
                 * @enum {string}
                 */
                onRegression?: 'pause' | 'rollback';
              }
            | {
                /** @constant */
                kind: 'prometheus';
                query: string;
                max?: number;
                min?: number;
                /**
                 * @default pause
                 * @enum {string}
                 */
                onRegression?: 'pause' | 'rollback';
              }
          )[];
          guardCheckSeconds?: number;
          /** @enum {string} */
          onInsufficientData?: 'pause' | 'advance';
          maxHoldSeconds?: number | null;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listGuardChecks: {
    parameters: {
      query?: {
        stage?: number;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GuardChecks'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  startRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  pauseRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  resumeRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  advanceRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  rollbackRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  abortRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  retryRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  approveRolloutPlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RolloutPlan'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listNotifications: {
    parameters: {
      query?: {
        unread?: 'true' | 'false';
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Notification'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getUnreadNotificationCount: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            unread: number;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  markAllNotificationsRead: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': Record<string, never>;
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            marked: number;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  markNotificationRead: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': Record<string, never>;
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Notification'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listWebhooks: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Webhook'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createWebhook: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: uri */
          url: string;
          secret: string;
          /**
           * @default [
           *       "plan.started",
           *       "plan.advanced",
           *       "plan.awaiting_approval",
           *       "plan.paused",
           *       "plan.failed",
           *       "plan.completed",
           *       "plan.aborted",
           *       "plan.guard_tripped",
           *       "flag.kill_switch"
           *     ]
           */
          events?: (
            | 'plan.started'
            | 'plan.advanced'
            | 'plan.awaiting_approval'
            | 'plan.paused'
            | 'plan.failed'
            | 'plan.completed'
            | 'plan.aborted'
            | 'plan.guard_tripped'
            | 'flag.kill_switch'
          )[];
          /** @default true */
          enabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getWebhook: {
    parameters: {
      query?: never;
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  updateWebhook: {
    parameters: {
      query?: never;
      header?: {
        'Idempotency-Key'?: string;
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: uri */
          url?: string;
          secret?: string;
          events?: (
            | 'plan.started'
            | 'plan.advanced'
            | 'plan.awaiting_approval'
            | 'plan.paused'
            | 'plan.failed'
            | 'plan.completed'
            | 'plan.aborted'
            | 'plan.guard_tripped'
            | 'flag.kill_switch'
          )[];
          enabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: {
        /** @description Tenant slug; needed when your login belongs to several tenants */
        'X-Tenant-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['WebhookDelivery'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Error (see the error contract) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  ofrepTrack: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          events: {
            name: string;
            /** @description The evaluation context of the unit the event is about, as sent to evaluate: the plan’s stickiness attribute names the unit */
            context: {
              [key: string]: unknown;
            };
            /** @description A finite number, e.g. a latency or an amount */
            value?: number;
            /**
             * Format: date-time
             * @description When it happened (ISO 8601 with offset); checked, not stored
             */
            timestamp?: string;
          }[];
        };
      };
    };
    responses: {
      /** @description Accepted: kept in memory and written within a second */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepTrackAccepted'];
        };
      };
      /** @description PARSE_ERROR (not JSON, or an invalid field) or INVALID_CONTEXT (an event’s context); `details` names each field, e.g. events[3].value */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepTrackError'];
        };
      };
      /** @description No, an invalid, expired or revoked client token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description Not a client token */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description PARSE_ERROR: the body is over BODY_LIMIT */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description PARSE_ERROR: the body is not declared as JSON (Content-Type: application/json) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description Over FLAGPOLE_EVALUATION_RATE_LIMIT for this token (Retry-After is set) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description GENERAL: evaluation is unavailable; retry later */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
    };
  };
  ofrepEvaluateFlags: {
    parameters: {
      query?: never;
      header?: {
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @description The evaluation context; `targetingKey` (a string) is what percent rules bucket by unless they name another attribute */
          context?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description Every flag, by key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepBulkEvaluation'];
        };
      };
      /** @description The same answer as the ETag sent */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description PARSE_ERROR or INVALID_CONTEXT: the body is not { "context": { … } } */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description No, an invalid, expired or revoked client token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description Not a client token */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description Over FLAGPOLE_EVALUATION_RATE_LIMIT for this token (Retry-After is set) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description GENERAL: evaluation is unavailable; retry later */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
    };
  };
  ofrepEvaluateFlag: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        key: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @description The evaluation context; `targetingKey` (a string) is what percent rules bucket by unless they name another attribute */
          context?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The flag’s value and why */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepEvaluation'];
        };
      };
      /** @description The context cannot be evaluated for this flag (TARGETING_KEY_MISSING, INVALID_CONTEXT), or the body is invalid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepFlagError'] | components['schemas']['OfrepError'];
        };
      };
      /** @description No, an invalid, expired or revoked client token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description Not a client token */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description FLAG_NOT_FOUND: no flag with this key in the tenant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description Over FLAGPOLE_EVALUATION_RATE_LIMIT for this token (Retry-After is set) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
      /** @description GENERAL: evaluation is unavailable; retry later */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OfrepError'];
        };
      };
    };
  };
}
