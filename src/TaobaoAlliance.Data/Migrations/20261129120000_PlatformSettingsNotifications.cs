using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <summary>
    /// Every statement that changes platform_settings sends NOTIFY platform_settings when it commits, so each node
    /// reloads the admins' overrides (see PlatformSettingsTriggers). No model change, so no designer file.
    /// </summary>
    [DbContext(typeof(AllianceDbContext))]
    [Migration("20261129120000_PlatformSettingsNotifications")]
    public partial class PlatformSettingsNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_platform_settings() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('platform_settings', TG_OP);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER platform_settings_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON platform_settings
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_platform_settings();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER platform_settings_notify ON platform_settings;
                DROP FUNCTION notify_platform_settings();
                """);
        }
    }
}
