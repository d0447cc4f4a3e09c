// The integration-pg-queues jest project: every test app (and every process a test spawns) runs its queues on PostgreSQL.
process.env.FLAGPOLE_QUEUE_BACKEND = 'postgres';
