using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// NOTIFY ad_campaigns on every statement that changes what the auction keeps in memory (see AdCampaignTriggers),
    /// and NOTIFY click_targets also when a zone is switched to smart or a site changes category (the zone facts now
    /// carry both). No model change, so no designer file.
    /// </summary>
    [DbContext(typeof(AllianceDbContext))]
    [Migration("20261129092000_AdCampaignNotifications")]
    public partial class AdCampaignNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_ad_campaigns() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('ad_campaigns', TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER campaigns_notify_ad_campaigns
                    AFTER INSERT OR DELETE OR UPDATE OF shop_id, bid_fen, daily_budget_fen, state, starts_at, ends_at OR TRUNCATE ON campaigns
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_ad_campaigns();
                CREATE TRIGGER campaign_items_notify_ad_campaigns AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON campaign_items
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_ad_campaigns();
                CREATE TRIGGER campaign_categories_notify_ad_campaigns AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON campaign_categories
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_ad_campaigns();
                CREATE TRIGGER items_notify_ad_campaigns
                    AFTER INSERT OR DELETE OR UPDATE OF shop_id, is_listed, title_zh, title_en, price_fen, image_url OR TRUNCATE ON items
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_ad_campaigns();
                CREATE TRIGGER shops_notify_ad_campaigns AFTER INSERT OR DELETE OR UPDATE OF seller_id, name_zh, name_en OR TRUNCATE ON shops
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_ad_campaigns();

                DROP TRIGGER ad_zones_notify_click_targets ON ad_zones;
                CREATE TRIGGER ad_zones_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF site_id, is_smart OR TRUNCATE ON ad_zones
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                DROP TRIGGER sites_notify_click_targets ON sites;
                CREATE TRIGGER sites_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF state, webmaster_id, category_id OR TRUNCATE ON sites
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER campaigns_notify_ad_campaigns ON campaigns;
                DROP TRIGGER campaign_items_notify_ad_campaigns ON campaign_items;
                DROP TRIGGER campaign_categories_notify_ad_campaigns ON campaign_categories;
                DROP TRIGGER items_notify_ad_campaigns ON items;
                DROP TRIGGER shops_notify_ad_campaigns ON shops;
                DROP FUNCTION notify_ad_campaigns();

                DROP TRIGGER ad_zones_notify_click_targets ON ad_zones;
                CREATE TRIGGER ad_zones_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF site_id OR TRUNCATE ON ad_zones
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                DROP TRIGGER sites_notify_click_targets ON sites;
                CREATE TRIGGER sites_notify_click_targets AFTER INSERT OR DELETE OR UPDATE OF state, webmaster_id OR TRUNCATE ON sites
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_click_targets();
                """);
        }
    }
}
