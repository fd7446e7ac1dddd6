using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Every statement that changes what a click is decided from (links, zones, sites, items, shops, targeted
    /// plans — only the columns the click path reads) sends NOTIFY click_targets when it commits, so each node
    /// drops its in-memory click targets (see ClickTargetTriggers).
    /// </summary>
    public partial class ClickTargetNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_click_targets() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('click_targets', TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER links_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF code, is_paused, webmaster_id, site_id, zone_id, item_id OR TRUNCATE ON links
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                CREATE TRIGGER ad_zones_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF site_id OR TRUNCATE ON ad_zones
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                CREATE TRIGGER sites_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF state, webmaster_id OR TRUNCATE ON sites
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                CREATE TRIGGER items_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF shop_id, commission_rate_bp, is_listed OR TRUNCATE ON items
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                CREATE TRIGGER shops_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF general_rate_bp OR TRUNCATE ON shops
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                CREATE TRIGGER targeted_plans_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON targeted_plans
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                CREATE TRIGGER targeted_plan_members_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON targeted_plan_members
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER links_notify_click_targets ON links;
                DROP TRIGGER ad_zones_notify_click_targets ON ad_zones;
                DROP TRIGGER sites_notify_click_targets ON sites;
                DROP TRIGGER items_notify_click_targets ON items;
                DROP TRIGGER shops_notify_click_targets ON shops;
                DROP TRIGGER targeted_plans_notify_click_targets ON targeted_plans;
                DROP TRIGGER targeted_plan_members_notify_click_targets ON targeted_plan_members;
                DROP FUNCTION notify_click_targets();
                """);
        }
    }
}
