# Reads /etc/timeline-kiosk/kiosk.conf (or $KIOSK_CONF) into shell variables, sourced by
# the session's scripts. Never executed as shell: each line is parsed and checked, so a
# typo cannot run a command, and a bad line is reported as `FILE:LINE: error: ...` while
# that setting keeps its default. A kiosk with a mistyped setting still shows the timeline.

KIOSK_CONF=${KIOSK_CONF:-/etc/timeline-kiosk/kiosk.conf}

URL=http://127.0.0.1:8080/
BROWSER=chromium
ROTATION=0
MODE=
OPEN_HOURS=
OPEN_DAYS=mon,tue,wed,thu,fri,sat,sun
IDLE_TIMEOUT=
RESTART_AT=04:00

config_error() { echo "$KIOSK_CONF:$1: error: $2" >&2; }

# 0 if $1 is a time of day HH:MM.
is_clock() { [[ $1 =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]]; }

read_config() {
    if [ ! -e "$KIOSK_CONF" ]; then echo "$KIOSK_CONF: not found; using the defaults" >&2; return 0; fi
    if [ ! -r "$KIOSK_CONF" ]; then echo "$KIOSK_CONF: cannot be read; using the defaults" >&2; return 0; fi
    local n=0 line name value
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        line=${line%$'\r'}
        (( n == 1 )) && line=${line#$'\xef\xbb\xbf'}  # the byte-order mark some editors write
        if (( ${#line} > 500 )); then config_error $n "line too long (${#line} characters)"; continue; fi
        [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
        if [[ ! $line =~ ^[[:space:]]*([A-Z_]+)[[:space:]]*=[[:space:]]*(.*[^[:space:]])?[[:space:]]*$ ]]; then
            config_error $n "expected NAME=value, found '${line//[^[:print:]]/?}'"; continue
        fi
        name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
        # Quotes are not needed; a matched pair around the whole value is taken off.
        if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
        value=${value//[^[:print:]]/?}
        case $name in
            URL)
                [[ $value =~ ^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~!\$\&\'()*+,\;=:@/?%-]*)?(#.*)?$ ]] \
                    || { config_error $n "URL must be an http:// or https:// address like http://127.0.0.1:8080/, found '$value'"; continue; } ;;
            BROWSER)
                [[ $value == chromium || $value == cog ]] \
                    || { config_error $n "BROWSER must be chromium or cog, found '$value'"; continue; } ;;
            ROTATION)
                [[ $value =~ ^(0|90|180|270)$ ]] \
                    || { config_error $n "ROTATION must be 0, 90, 180 or 270, found '$value'"; continue; } ;;
            MODE)
                [[ -z $value || $value =~ ^[0-9]+x[0-9]+(@[0-9]+(\.[0-9]+)?)?$ ]] \
                    || { config_error $n "MODE must look like 1920x1080 or 1920x1080@60, found '$value'"; continue; } ;;
            OPEN_HOURS)
                if [ -n "$value" ]; then
                    local from=${value%%-*} to=${value#*-}
                    is_clock "$from" && { is_clock "$to" || [ "$to" = 24:00 ]; } && [[ $from < $to ]] \
                        || { config_error $n "OPEN_HOURS must be HH:MM-HH:MM (up to 24:00) with the first time earlier, found '$value'"; continue; }
                fi ;;
            OPEN_DAYS)
                value=${value,,} value=${value// /}
                [[ $value =~ ^(mon|tue|wed|thu|fri|sat|sun)(,(mon|tue|wed|thu|fri|sat|sun))*$ ]] \
                    || { config_error $n "OPEN_DAYS must list days as mon,tue,wed,thu,fri,sat,sun, found '$value'"; continue; } ;;
            IDLE_TIMEOUT)
                [[ -z $value || ( $value =~ ^[1-9][0-9]{1,4}$ && $value -le 86400 ) ]] \
                    || { config_error $n "IDLE_TIMEOUT must be seconds from 10 to 86400, found '$value'"; continue; } ;;
            RESTART_AT)
                [[ -z $value ]] || is_clock "$value" \
                    || { config_error $n "RESTART_AT must be a time HH:MM, found '$value'"; continue; } ;;
            *) config_error $n "unknown setting $name (known: URL BROWSER ROTATION MODE OPEN_HOURS OPEN_DAYS IDLE_TIMEOUT RESTART_AT)"; continue ;;
        esac
        printf -v "$name" '%s' "$value"
    done < "$KIOSK_CONF"
}

# The page the browser opens: $URL, with the idle timeout the interface reads from ?idle=
# (in the query, before any #fragment).
page_url() {
    local url=${URL%%#*} fragment=
    [[ $URL == *#* ]] && fragment="#${URL#*#}"
    if [ -n "$IDLE_TIMEOUT" ]; then
        [[ $url == *\?* ]] && url+="&idle=$IDLE_TIMEOUT" || url+="?idle=$IDLE_TIMEOUT"
    fi
    echo "$url$fragment"
}
