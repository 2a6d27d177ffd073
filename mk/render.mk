# mk/render.mk: build and test lists of the render work area (see Makefile.am).
core_libcore_a_SOURCES += \
	core/yamlout.c core/yamlout.h \
	core/render.c \
	core/render_util.c core/render_util.h \
	core/render_tf.c core/render_tf.h \
	core/render_values.c core/render_values.h \
	core/render_manifests.c core/render_manifests.h \
	core/render_app.c core/render_app.h
