using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Every statement that changes what the storefront shows (items, shops, categories) sends NOTIFY storefront
    /// when it commits, so each node evicts its cached storefront pages (see StorefrontTriggers). No model change,
    /// so no designer file: the attributes below are all EF needs to find it.
    /// </summary>
    [DbContext(typeof(AllianceDbContext))]
    [Migration("20261129083000_StorefrontNotifications")]
    public partial class StorefrontNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_storefront() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('storefront', TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER items_notify_storefront AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON items
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_storefront();
                CREATE TRIGGER shops_notify_storefront AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON shops
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_storefront();
                CREATE TRIGGER categories_notify_storefront AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON categories
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_storefront();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER items_notify_storefront ON items;
                DROP TRIGGER shops_notify_storefront ON shops;
                DROP TRIGGER categories_notify_storefront ON categories;
                DROP FUNCTION notify_storefront();
                """);
        }
    }
}
