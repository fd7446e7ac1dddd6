using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Makes <c>clicks</c> a table partitioned by China day (clicks_pYYYYMMDD, [00:00+08, next 00:00+08)), so old
    /// days are dropped whole by retention instead of deleted row by row, and a day's queries touch one partition.
    /// The primary key must hold the partition key, so it becomes (id, occurred_at); nothing can reference clicks(id)
    /// any more, so the foreign keys from orders, commissions and cpc_charges go (each row keeps the click's id).
    /// A DEFAULT partition catches a click whose day has no partition yet, so no click is ever refused for want of
    /// one; <c>ensure_click_partitions</c> creates days ahead (called by ClickPartitions and bench/generate.sql) and
    /// moves any rows of a day it creates out of the default partition.
    /// </summary>
    public partial class PartitionedClicks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_commissions_clicks_click_id",
                table: "commissions");

            migrationBuilder.DropForeignKey(
                name: "fk_cpc_charges_clicks_click_id",
                table: "cpc_charges");

            migrationBuilder.DropForeignKey(
                name: "fk_orders_clicks_attributed_click_id",
                table: "orders");

            migrationBuilder.Sql("""
                ALTER TABLE clicks RENAME TO clicks_unpartitioned;
                -- Index and key names are per schema: free them for the new table (the old one is dropped below).
                ALTER TABLE clicks_unpartitioned DROP CONSTRAINT pk_clicks;
                DROP INDEX ix_clicks_item_id_occurred_at;
                DROP INDEX ix_clicks_site_id_occurred_at;
                DROP INDEX ix_clicks_visitor_id_occurred_at;
                DROP INDEX ix_clicks_webmaster_id_occurred_at;

                CREATE TABLE clicks (
                    id uuid NOT NULL,
                    occurred_at timestamp with time zone NOT NULL,
                    link_id bigint,
                    webmaster_id bigint NOT NULL,
                    site_id bigint NOT NULL,
                    zone_id bigint NOT NULL,
                    item_id bigint NOT NULL,
                    shop_id bigint NOT NULL,
                    visitor_id uuid NOT NULL,
                    ip_hash bytea NOT NULL,
                    user_agent character varying(512),
                    referrer character varying(1024),
                    is_valid boolean NOT NULL,
                    invalid_reason character varying(32),
                    item_rate_bp integer NOT NULL,
                    shop_rate_bp integer NOT NULL,
                    campaign_id bigint,
                    CONSTRAINT pk_clicks PRIMARY KEY (id, occurred_at),
                    CONSTRAINT ck_clicks_invalid_reason CHECK (is_valid OR invalid_reason IS NOT NULL),
                    CONSTRAINT ck_clicks_rates CHECK (item_rate_bp BETWEEN 0 AND 9000 AND shop_rate_bp BETWEEN 0 AND 9000)
                ) PARTITION BY RANGE (occurred_at);

                -- The safety net: a click whose day has no partition lands here rather than being refused.
                CREATE TABLE clicks_default PARTITION OF clicks DEFAULT;

                -- One partition per China day (UTC+8, no daylight saving) from from_day to to_day inclusive, skipping
                -- days that exist; returns the names created. A day's rows already in the default partition move into
                -- it in the same transaction. clicks is locked exclusively first, for a moment (the table is empty or
                -- holds only the moved rows): an insert routed to the default partition under the old partitions while
                -- a day is attached would fail its partition check, and a click must never be refused. So inserts wait.
                CREATE FUNCTION ensure_click_partitions(from_day date, to_day date) RETURNS SETOF text
                LANGUAGE plpgsql AS $$
                DECLARE
                    d date;
                    part text;
                    lo timestamptz;
                    hi timestamptz;
                BEGIN
                    -- Two nodes (or a node and bench/generate.sql) never create partitions at once.
                    PERFORM pg_advisory_xact_lock(hashtext('click_partitions'));
                    FOR d IN SELECT g::date FROM generate_series(from_day, to_day, interval '1 day') g LOOP
                        part := 'clicks_p' || to_char(d, 'YYYYMMDD');
                        CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
                        lo := (d::timestamp - interval '8 hours') AT TIME ZONE 'UTC';
                        hi := lo + interval '1 day';
                        LOCK TABLE clicks IN ACCESS EXCLUSIVE MODE;
                        EXECUTE format('CREATE TABLE %I (LIKE clicks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
                        -- Proves the bounds, so the attach does not scan the new table.
                        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)', part, part || '_bounds', lo, hi);
                        EXECUTE format('WITH moved AS (DELETE FROM clicks_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', lo, hi, part);
                        EXECUTE format('ALTER TABLE clicks ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
                        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_bounds');
                        RETURN NEXT part;
                    END LOOP;
                END $$;

                -- Partitions for every day of the existing rows, today and a week ahead (ClickPartitions keeps it so).
                DO $$
                DECLARE
                    today date := ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date;
                    first_day date;
                    last_day date;
                BEGIN
                    SELECT min(((occurred_at AT TIME ZONE 'UTC') + interval '8 hours')::date),
                           max(((occurred_at AT TIME ZONE 'UTC') + interval '8 hours')::date)
                    INTO first_day, last_day FROM clicks_unpartitioned;
                    PERFORM ensure_click_partitions(least(coalesce(first_day, today), today), greatest(coalesce(last_day, today), today + 7));
                END $$;

                INSERT INTO clicks (id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash,
                                    user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id)
                SELECT id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash,
                       user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id
                FROM clicks_unpartitioned;
                DROP TABLE clicks_unpartitioned;

                -- Built after the load (once, not row by row); each is created on every partition, now and later.
                CREATE INDEX ix_clicks_item_id_occurred_at ON clicks (item_id, occurred_at);
                CREATE INDEX ix_clicks_site_id_occurred_at ON clicks (site_id, occurred_at);
                CREATE INDEX ix_clicks_visitor_id_occurred_at ON clicks (visitor_id, occurred_at);
                CREATE INDEX ix_clicks_webmaster_id_occurred_at ON clicks (webmaster_id, occurred_at);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one table. The foreign keys come back only if every referenced click is still there (retention
            // may have dropped some): then the down migration fails rather than invent clicks.
            migrationBuilder.Sql("""
                CREATE TABLE clicks_unpartitioned (LIKE clicks INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
                INSERT INTO clicks_unpartitioned SELECT * FROM clicks;
                DROP TABLE clicks;
                DROP FUNCTION ensure_click_partitions(date, date);
                ALTER TABLE clicks_unpartitioned RENAME TO clicks;
                ALTER TABLE clicks ADD CONSTRAINT pk_clicks PRIMARY KEY (id);
                CREATE INDEX ix_clicks_item_id_occurred_at ON clicks (item_id, occurred_at);
                CREATE INDEX ix_clicks_site_id_occurred_at ON clicks (site_id, occurred_at);
                CREATE INDEX ix_clicks_visitor_id_occurred_at ON clicks (visitor_id, occurred_at);
                CREATE INDEX ix_clicks_webmaster_id_occurred_at ON clicks (webmaster_id, occurred_at);
                """);

            migrationBuilder.AddForeignKey(
                name: "fk_commissions_clicks_click_id",
                table: "commissions",
                column: "click_id",
                principalTable: "clicks",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_cpc_charges_clicks_click_id",
                table: "cpc_charges",
                column: "click_id",
                principalTable: "clicks",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_orders_clicks_attributed_click_id",
                table: "orders",
                column: "attributed_click_id",
                principalTable: "clicks",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
